import { parseDocument } from 'yaml';

/**
 * The demo's edits to the plan `mokodeploy init demo` wrote: a staging plan (the policy's environment
 * gates are reported, not blocking) whose release, target paths, site ports, certificate, database and
 * mail server are the private ones the demo started in its scratch folder. Comments of the template stay.
 */
export interface DemoPlanFacts {
  release: { path: string; version: string; sha256: string };
  dir: (path: string) => string;
  site: {
    domain: string;
    httpPort: number;
    httpsPort: number;
    certificate: string;
    key: string;
    chain?: string;
  };
  database: { port: number; socket: string };
  smtpPort: number;
}

export function editDemoPlan(text: string, f: DemoPlanFacts): string {
  const doc = parseDocument(text);
  const set = (path: string, value: unknown) => doc.setIn(path.split('.'), value);
  set('environment', 'staging');
  set('dolibarr.version', f.release.version);
  set('dolibarr.release', f.release.path);
  set('dolibarr.sha256', f.release.sha256);
  set('target.root', `${f.dir('www')}/demo`);
  set('target.dataRoot', `${f.dir('lib')}/demo/documents`);
  set('target.backupRoot', f.dir('backups'));
  set('target.webConfigDir', f.dir('sites'));
  set('target.phpFpmPoolDir', f.dir('pool.d'));
  set('target.phpFpmSocket', `${f.dir('run')}/php-fpm-demo.sock`);
  set('target.serviceManager', 'none');
  set('target.cronDir', f.dir('cron.d'));
  set('site.domain', f.site.domain);
  set('site.url', `https://${f.site.domain}:${f.site.httpsPort}`);
  set('site.httpPort', f.site.httpPort);
  set('site.httpsPort', f.site.httpsPort);
  set('site.tls.certificate', f.site.certificate);
  set('site.tls.key', f.site.key);
  if (f.site.chain) set('site.tls.chain', f.site.chain);
  set('database.host', '127.0.0.1');
  set('database.port', f.database.port);
  set('database.socket', f.database.socket);
  // the verification builds a PDF through Dolibarr: proposals on (src/verify/report-doc.ts)
  set('modules', ['modSociete', 'modProduct', 'modApi', 'modPropale']);
  set('email', { from: 'crm@demo.localhost', smtpHost: '127.0.0.1', smtpPort: f.smtpPort });
  return doc.toString();
}
