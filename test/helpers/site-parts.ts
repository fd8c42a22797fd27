import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Certificate } from './services/certificate.js';
import type { Mariadb } from './services/mariadb.js';
import { freePort } from './services/process.js';

/** The pieces of a test plan that every install helper builds the same way, all inside one temp dir. */

/** `d('www')`: a 0755 directory under `dir`, made on first use (PHP-FPM and nginx workers must traverse it). */
export function dirMaker(dir: string): (path: string) => string {
  return (p) => {
    const full = join(dir, p);
    mkdirSync(full, { recursive: true });
    chmodSync(full, 0o755);
    return full;
  };
}

/** The target's paths (policy layout: web root, documents outside it, backups, web and pool config). */
export function tempTargetPaths(d: (path: string) => string) {
  return {
    root: join(d('www'), 'acme'),
    dataRoot: join(d('lib'), 'acme', 'documents'),
    backupRoot: d('backups'),
    webConfigDir: d('sites'),
    phpFpmPoolDir: d('pool.d'),
  };
}

/** The site on two free ports with the test certificate; its URL names the HTTPS port. */
export async function testSite(cert: Certificate) {
  const [httpPort, httpsPort] = [await freePort(), await freePort()];
  return {
    domain: 'crm.acme.test',
    url: `https://crm.acme.test:${httpsPort}`,
    httpPort,
    httpsPort,
    tls: { certificate: cert.certPath, key: cert.keyPath, chain: cert.chainPath },
  };
}

/** The plan's database on the test MariaDB (password by secret name only). */
export function testDatabase(db: Mariadb) {
  return {
    host: '127.0.0.1',
    port: db.port,
    socket: db.socket,
    name: 'acme_crm',
    user: 'acme',
    password: { secret: 'acme/db' },
  };
}
