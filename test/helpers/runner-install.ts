import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan } from '../../src/core/plan.js';
import type { InstallFacts } from '../../src/steps/install/index.js';
import { buildFixtureRelease } from './fixture-release/build.js';
import { makeCertificate, type Certificate } from './services/certificate.js';
import { startMariadb, type Mariadb } from './services/mariadb.js';
import { makeTempDir, removeDir } from './services/process.js';
import { makeTestPlan } from './services/plan.js';
import { dirMaker, tempTargetPaths, testDatabase, testSite } from './site-parts.js';

/**
 * A target on this machine for the real install pipeline run through the runner by a child process
 * (runner-install-child.ts): fixture release, MariaDB, certificate, free ports, and a setup file the
 * child reads. Secrets live in a real encrypted SecretStore under `home`, shared by every run.
 */
export interface InstallTarget {
  dir: string;
  home: string;
  keyFile: string;
  setupFile: string;
  plan: Plan;
  db: Mariadb;
  cert: Certificate;
  httpPort: number;
  httpsPort: number;
  fpmSocket: string;
  stop(): Promise<void>;
}

export interface InstallSetup {
  plan: Plan;
  overrides: Partial<InstallFacts>;
  home: string;
  keyFile: string;
}

export async function prepareInstallTarget(): Promise<InstallTarget> {
  const dir = makeTempDir('runner-install');
  chmodSync(dir, 0o755);
  const d = dirMaker(dir);
  const fixture = buildFixtureRelease({ version: '20.0.2' }, d('release'));
  const db = await startMariadb();
  const cert = makeCertificate({ cn: 'crm.acme.test', dir: d('tls') });
  const site = await testSite(cert);
  const { httpPort, httpsPort } = site;
  const plan = makeTestPlan({
    id: 'acme-install',
    dolibarr: { version: fixture.version, release: fixture.tarball, sha256: fixture.sha256 },
    target: {
      ...tempTargetPaths(d),
    },
    site,
    database: testDatabase(db),
    email: { from: 'crm@acme.test', smtpHost: '127.0.0.1', smtpPort: 25 },
  });
  const fpmSocket = join(d('run'), 'php-fpm-acme.sock');
  const home = d('home');
  const keyFile = join(d('keys'), 'secrets.key');
  const setup: InstallSetup = {
    plan,
    overrides: { serviceManager: 'none', cronDir: d('cron.d'), fpmSocket },
    home,
    keyFile,
  };
  const setupFile = join(dir, 'setup.json');
  writeFileSync(setupFile, JSON.stringify(setup));
  return {
    dir,
    home,
    keyFile,
    setupFile,
    plan,
    db,
    cert,
    httpPort,
    httpsPort,
    fpmSocket,
    stop: async () => {
      await db.stop().catch(() => {});
      removeDir(dir);
    },
  };
}
