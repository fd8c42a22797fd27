import { mkdirSync, writeFileSync, chmodSync, chownSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Plan } from '../../../src/core/plan.js';
import type { ValidationOptions } from '../../../src/checks/options.js';
import { releaseStamp } from '../../../src/dolibarr/layout.js';
import { makeCertificate, type Certificate } from './certificate.js';
import { startMariadb, type Mariadb } from './mariadb.js';
import { startNginx, type Nginx } from './nginx.js';
import { startPhpFpm, type PhpFpm } from './php-fpm.js';
import { startSmtp, type Smtp } from './smtp.js';
import { makeTempDir, removeDir } from './process.js';
import { makeTestPlan } from './plan.js';

export interface TestEnvironment {
  dir: string;
  plan: Plan;
  options: ValidationOptions;
  cert: Certificate;
  db: Mariadb;
  fpm: PhpFpm;
  web: Nginx;
  smtp: Smtp;
  /** sshd_config that passes the SSH check (keys only, no root password login). */
  sshdConfig: string;
  /** A generated host key, for sshd_config files of your own evaluated with sshd -T. */
  hostKey: string;
  stop(): Promise<void>;
}

const wwwData = () => ({
  uid: Number(execFileSync('id', ['-u', 'www-data'])),
  gid: Number(execFileSync('id', ['-g', 'www-data'])),
});

/**
 * A target that passes environment validation where it can on this machine: MariaDB, PHP-FPM,
 * nginx with a CA-signed certificate for "localhost", an SMTP server, a Dolibarr-shaped layout
 * (root/current/htdocs, shared/conf/conf.php 0440 root:www-data), a cron file and a fresh backup.
 */
export async function startTestEnvironment(): Promise<TestEnvironment> {
  const dir = makeTempDir('env');
  chmodSync(dir, 0o755);
  const cert = makeCertificate({ cn: 'localhost', dir: join(dir, 'tls') });
  const [db, fpm, smtp] = await Promise.all([startMariadb(), startPhpFpm(), startSmtp()]);
  const root = join(dir, 'var/www/mokocrm/acme');
  const htdocs = join(root, 'current/htdocs');
  mkdirSync(htdocs, { recursive: true });
  mkdirSync(join(root, 'shared/conf'), { recursive: true });
  writeFileSync(join(htdocs, 'index.php'), '<?php echo "ok";\n');
  const confPhp = join(root, 'shared/conf/conf.php');
  writeFileSync(confPhp, "<?php\n$dolibarr_main_db_pass='x';\n", { mode: 0o440 });
  chownSync(confPhp, 0, wwwData().gid);
  chmodSync(confPhp, 0o440);
  const dataRoot = join(dir, 'var/lib/mokocrm/acme/documents');
  mkdirSync(dataRoot, { recursive: true });
  const backupRoot = join(dir, 'var/backups/mokocrm/acme');
  // a backup a run completed: its SHA256SUMS is written last (src/backup/layout.ts), what backups.recent counts
  // named an hour ago as a run names it: backups.recent dates a backup by its stamp (issue 23)
  const stamp = releaseStamp(new Date(Date.now() - 3_600_000));
  mkdirSync(join(backupRoot, stamp), { recursive: true });
  writeFileSync(join(backupRoot, stamp, 'database.sql'), 'dump');
  writeFileSync(join(backupRoot, stamp, 'SHA256SUMS'), `${'0'.repeat(64)}  database.sql\n`);
  const cronDir = join(dir, 'etc/cron.d');
  mkdirSync(cronDir, { recursive: true });
  writeFileSync(join(cronDir, 'mokocrm-acme'), '15 3 * * * root /usr/local/bin/mokodeploy backup acme\n');
  const web = await startNginx({
    domain: 'localhost',
    root: htdocs,
    phpSocket: fpm.socket,
    tls: { certificatePath: cert.fullchainPath, keyPath: cert.keyPath },
  });
  const sshdConfig = join(dir, 'sshd_config');
  // sshd -T wants a readable host key; do not rely on the system's
  const hostKey = join(dir, 'ssh_host_ed25519_key');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // sshd -T refuses to run without it
  writeFileSync(
    sshdConfig,
    `HostKey ${hostKey}\nPermitRootLogin prohibit-password\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n`,
  );
  const plan = makeTestPlan({
    target: { host: 'local', root, dataRoot, backupRoot, webServer: 'nginx', phpFpmService: 'php8.2-fpm' },
    site: {
      domain: 'localhost',
      url: `https://localhost:${web.httpsPort}`,
      httpPort: web.httpPort,
      httpsPort: web.httpsPort!,
      tls: { certificate: cert.fullchainPath, key: cert.keyPath },
    },
    database: { socket: db.socket, port: db.port, host: '127.0.0.1' },
    email: { from: 'crm@acme.test', smtpHost: '127.0.0.1', smtpPort: smtp.port },
    integrations: [{ id: 'web-self', kind: 'api', endpoint: `http://127.0.0.1:${web.httpPort}/index.php` }],
  });
  const options: ValidationOptions = {
    trustedCaFile: cert.caPath,
    nginxConfig: web.confPath,
    nginxPrefix: web.prefix,
    sshdConfig,
    confPhp,
    webRoot: htdocs,
    cronPaths: [cronDir],
  };
  const stop = async () => {
    await Promise.all([web.stop(), db.stop(), fpm.stop(), smtp.stop()]);
    removeDir(dir);
  };
  return { dir, plan, options, cert, db, fpm, web, smtp, sshdConfig, hostKey, stop };
}
