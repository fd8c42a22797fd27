import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import { startFpmWithPools, startNginxWithSites } from '../test/helpers/install-stack/web-servers.js';
import {
  makeCertificate,
  startMariadb,
  type Certificate,
  type Mariadb,
} from '../test/helpers/services/index.js';
import { freePort, waitFor } from '../test/helpers/services/process.js';
import { startSmtpSink } from '../test/helpers/verify/site.js';

/**
 * The demo's private services, all in its scratch folder on free 127.0.0.1 ports (the test suite's own
 * helpers: test/helpers/services, install-stack): a MariaDB and a mail sink before the deploy; PHP-FPM and
 * nginx started after it from the pool and site files the deploy wrote (serviceManager: none). Nothing
 * system-wide, no systemd.
 */
export interface DemoServices {
  db: Mariadb;
  cert: Certificate;
  domain: string;
  httpPort: number;
  httpsPort: number;
  smtpPort: number;
  mails: ParsedMail[];
  /** Start PHP-FPM and nginx from the files the deploy wrote under `dir`. */
  serve(): Promise<void>;
  stop(): Promise<void>;
}

export async function startDemoServices(dir: string, d: (p: string) => string): Promise<DemoServices> {
  const stoppers: (() => Promise<void>)[] = [];
  const domain = 'crm.demo.localhost';
  const db = await startMariadb();
  stoppers.push(() => db.stop());
  const mails: ParsedMail[] = [];
  const smtp = await startSmtpSink(mails);
  stoppers.push(() => smtp.stop());
  const cert = makeCertificate({ cn: domain, dir: d('tls') });
  const [httpPort, httpsPort] = [await freePort(), await freePort()];
  return {
    db,
    cert,
    domain,
    httpPort,
    httpsPort,
    smtpPort: smtp.port,
    mails,
    async serve() {
      const fpm = await startFpmWithPools(
        d('fpm'),
        join(dir, 'pool.d'),
        join(dir, 'run', 'php-fpm-demo.sock'),
      );
      stoppers.push(() => fpm.stop());
      const web = await startNginxWithSites(d('nginx'), join(dir, 'sites'), [httpPort, httpsPort]);
      stoppers.push(() => web.stop());
    },
    async stop() {
      for (const s of stoppers.reverse()) await s().catch(() => {});
    },
  };
}

/**
 * Services a killed earlier demo left running: the pid files in its scratch folder, each stopped only when
 * that process's command line still names the folder (the pid was not reused by something else).
 */
export async function stopLeftovers(dir: string): Promise<number[]> {
  const pidFiles = existsSync(dir)
    ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.pid'))
    : [];
  const stopped: number[] = [];
  for (const f of pidFiles) {
    const pid = Number(readFileSync(join(dir, f), 'utf8').trim());
    const cmdline = Number.isInteger(pid) && pid > 1 ? readCmdline(pid) : '';
    if (!cmdline.includes(dir)) continue;
    process.kill(pid, 'SIGTERM');
    stopped.push(pid);
  }
  await waitFor('the earlier demo services to stop', () => stopped.every((p) => !readCmdline(p)), 20_000);
  return stopped;
}

function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}
