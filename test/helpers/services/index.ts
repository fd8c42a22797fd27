/**
 * Real services for tests, each in its own temp dir on free 127.0.0.1 ports (never the system ones).
 * Every helper waits until the service answers and returns `stop()`, which kills its whole process
 * group and removes the temp dir. Start in beforeAll, stop in afterAll:
 *
 *   const db = await startMariadb();            // {port, socket, rootClient.query(sql), rootClient.argv, stop}
 *   const fpm = await startPhpFpm();            // {socket, stop}; pool user www-data
 *   const cert = makeCertificate({ cn: 'crm.acme.test' });        // root -> intermediate -> leaf, openssl
 *   //   also { expired: true }, { selfSigned: true }, { altNames: [...] }, { days: 10 }
 *   const web = await startNginx({ domain: 'crm.acme.test', phpSocket: fpm.socket,
 *     tls: { certificatePath: cert.fullchainPath, keyPath: cert.keyPath } });  // {httpPort, httpsPort, root, confPath}
 *   const ap = await startApache({ tls: ... });  // {httpPort, httpsPort, confPath}
 *   const ssh = await startSshd({ config: { PasswordAuthentication: 'yes' } });
 *   //   {port, clientKeyPath, knownHostsPath, hostKeyFingerprint, configPath}; login as root with the client key
 *   const ns = startNetns();                   // own network namespace + firewall: {address, setNftRuleset, run, stop}
 *   const nsSsh = await startSshd({ netns: ns }); // sshd inside it, on ns.address:2222
 *   const smtp = await startSmtp();             // real SMTP server (smtp-server): {port, messages}
 *   const pg = await startPostgres();           // {adminUrl, createDatabase() -> URL of a fresh db owned by `moko`, query, stop}
 *   //   runs as the OS user postgres when tests run as root (PostgreSQL refuses root)
 *   const s3 = await startS3();                 // s3rver in its own process: {url(prefix), env (AWS keys), putObject, stop}
 *   afterAll(() => Promise.all([db.stop(), fpm.stop(), web.stop(), ssh.stop(), smtp.stop()]));
 *
 * All need root (this CI runs tests as root). Packages come from .ci/install.sh.
 * makeTestPlan() (plan.ts) gives a valid Plan pointing at such services; override what you need.
 */
export { startMariadb, type Mariadb, type RootClient } from './mariadb.js';
export { sshTargetOf, startSshd, type Sshd, type SshdOptions } from './sshd.js';
export { startPhpFpm, type PhpFpm } from './php-fpm.js';
export { startNginx, type Nginx, type NginxOptions } from './nginx.js';
export { startApache, type Apache } from './apache.js';
export { makeCertificate, type Certificate, type CertificateOptions } from './certificate.js';
export { freePort, makeTempDir, removeDir, waitFor, portOpen } from './process.js';
export { makeTestPlan } from './plan.js';
export { ensureUser, deployUser } from './users.js';
export { startSmtp, type Smtp } from './smtp.js';
export { startTestEnvironment, type TestEnvironment } from './environment.js';
export { startNetns, type Netns } from './netns.js';
export { startPostgres, type Postgres, type PostgresOptions } from './postgres.js';
export { startS3, type S3Server } from './s3.js';
