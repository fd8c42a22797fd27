import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlanInput } from '../../src/core/plan.js';
import { Secret } from '../../src/core/secret.js';
import { loginThroughForm } from '../../src/dolibarr/login-form.js';
import { SecretStore } from '../../src/store/secrets.js';
import { buildFixtureRelease } from './fixture-release/build.js';
import { startFpmWithPools, startNginxWithSites, type Running } from './install-stack/web-servers.js';
import { makeCertificate, startMariadb, type Mariadb } from './services/index.js';
import { freshTargetPlan, scheduleThroughCli } from './cli-deploy-workspace.js';
import { workspace, type Workspace } from './cli.js';
import { dirMaker, testSite } from './site-parts.js';

/**
 * A CLI workspace whose plan (staging, fixture release, real MariaDB, every target path in a temp
 * dir, serviceManager none) has been submitted, approved, made ready and scheduled: what the deploy
 * tests start from. `connection` says how the target is reached (local, or SSH fields).
 */
export interface DeployTarget {
  ws: Workspace;
  id: string;
  env: NodeJS.ProcessEnv;
  secrets(): SecretStore;
  /** After a deploy: start PHP-FPM and nginx from the pool and site files it wrote. */
  serve(): Promise<void>;
  /** nginx's access log once served (combined format, at the http level as Debian's nginx.conf). */
  accessLog: string;
  /** The engine commands' site options (backup, upgrade, rollback): address, CA, the served PHP-FPM's pid file. */
  engineOptions: string[];
  /** Log in through the real form over HTTPS (default: the admin's stored password). */
  login(password?: Secret): Promise<{ ok: boolean; reason?: string }>;
  stop(): Promise<void>;
}

export async function prepareDeployTarget(
  connection: Partial<PlanInput['target']>,
  /** A real release instead of the fixture (scripts/e2e-recovery.ts runs a test on /work/releases/). */
  release?: { version: string; tarball: string; sha256: string },
): Promise<DeployTarget> {
  const ws = workspace();
  const id = 'acme-2026-12';
  const d = dirMaker(ws.dir);
  chmodSync(ws.dir, 0o755);
  const running: Running[] = [];
  const db: Mariadb = await startMariadb();
  const fixture = release ?? buildFixtureRelease({ version: '20.0.2' }, d('release'));
  const cert = makeCertificate({ cn: 'crm.acme.test', dir: d('tls') });
  const site = await testSite(cert);
  const { httpPort, httpsPort, url } = site;
  ws.writePlan('plan.yaml', freshTargetPlan(d, { release: fixture, site, db, connection }));
  const env = { MOKODEPLOY_SECRET_KEY_FILE: join(ws.dir, 'secret.key') };
  scheduleThroughCli(ws, id, 'plan.yaml', env);
  const accessLog = join(ws.dir, 'nginx', 'access.log');
  const secrets = () => new SecretStore(join(ws.dir, '.mokodeploy'), join(ws.dir, 'secret.key'));
  return {
    ws,
    id,
    env,
    secrets,
    accessLog,
    engineOptions: [
      '--address',
      '127.0.0.1',
      '--ca-file',
      cert.caPath,
      '--fpm-pid',
      join(ws.dir, 'fpm', 'php-fpm.pid'),
    ],
    async serve() {
      running.push(
        await startFpmWithPools(d('fpm'), join(ws.dir, 'pool.d'), join(ws.dir, 'run', 'php-fpm-acme.sock')),
      );
      const sites = join(ws.dir, 'sites');
      running.push(await startNginxWithSites(d('nginx'), sites, [httpPort, httpsPort], accessLog));
    },
    login(password) {
      return loginThroughForm({
        url,
        login: 'admin',
        password: password ?? secrets().get('acme/admin'),
        address: '127.0.0.1',
        ca: readFileSync(cert.caPath),
      });
    },
    async stop() {
      for (const r of running.reverse()) await r.stop().catch(() => {});
      await db.stop().catch(() => {});
    },
  };
}
