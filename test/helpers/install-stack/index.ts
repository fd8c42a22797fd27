import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan } from '../../../src/core/plan.js';
import { LocalHost } from '../../../src/hosts/local.js';
import { openHost } from '../../../src/hosts/open.js';
import { loadPolicy } from '../../../src/policy/load.js';
import { gatherInstallFacts, installPipeline, type InstallFacts } from '../../../src/steps/install/index.js';
import type { StepContext } from '../../../src/steps/step.js';
import { makeCertificate, type Certificate } from '../services/certificate.js';
import { startMariadb, type Mariadb } from '../services/mariadb.js';
import { makeTempDir, removeDir } from '../services/process.js';
import { makeTestPlan } from '../services/plan.js';
import { dirMaker, tempTargetPaths, testDatabase, testSite } from '../site-parts.js';
import { RecordingHost } from './recording-host.js';
import { runPipeline, type StepTiming } from './run-pipeline.js';
import { memorySecrets } from './secrets.js';
import { startApacheWithSites, startFpmWithPools, startNginxWithSites, type Running } from './web-servers.js';

/**
 * Everything an install needs on this machine, in one temp dir on free ports: a MariaDB, then the
 * install pipeline run for real on a LocalHost, then PHP-FPM and nginx started from the pool and site
 * files the pipeline wrote. Used by the integration tests (fixture release) and scripts/e2e.ts (real ones).
 */
export interface InstallStackOptions {
  release: string;
  version: string;
  sha256?: string;
  customModules?: Plan['customModules'];
  users?: Plan['users'];
  /** Dolibarr modules besides the base ones (e.g. modApi for the REST API). */
  modules?: Plan['modules'];
  /** Keep the temp dir on stop (debugging). */
  keep?: boolean;
  webServer?: 'nginx' | 'apache';
  /** Install without the cron entry (a release copy without scripts/). */
  skipCron?: boolean;
  /** Extra mariadbd options (e2e: a larger InnoDB log than the test default). */
  mariadbArgs?: string[];
  /** How the target is reached (default this machine): SSH fields, e.g. sshTargetOf(sshd, deployUser) (issue 25). */
  connection?: Partial<Plan['target']>;
}

export interface InstallStack {
  dir: string;
  plan: Plan;
  ctx: StepContext;
  host: RecordingHost;
  secrets: ReturnType<typeof memorySecrets>;
  cert: Certificate;
  db: Mariadb;
  httpPort: number;
  httpsPort: number;
  timings: StepTiming[];
  installMs: number;
  /** Run the pipeline again (idempotence) and return its timings. */
  rerun(): Promise<StepTiming[]>;
  stop(): Promise<void>;
}

export async function startInstallStack(o: InstallStackOptions): Promise<InstallStack> {
  const dir = makeTempDir('install');
  chmodSync(dir, 0o755);
  const d = dirMaker(dir);
  const running: Running[] = [];
  const db = await startMariadb({ args: o.mariadbArgs });
  const cert = makeCertificate({ cn: 'crm.acme.test', dir: d('tls') });
  const site = await testSite(cert);
  const { httpPort, httpsPort } = site;
  const plan = makeTestPlan({
    dolibarr: { version: o.version, release: o.release, sha256: o.sha256 },
    target: {
      webServer: o.webServer ?? 'nginx',
      ...o.connection,
      ...tempTargetPaths(d),
    },
    site,
    database: testDatabase(db),
    email: { from: 'crm@acme.test', smtpHost: '127.0.0.1', smtpPort: 25 },
    customModules: o.customModules ?? [],
    users: o.users ?? [],
    modules: o.modules ?? [],
  });
  const host = new RecordingHost(o.connection ? openHost(plan.target) : new LocalHost());
  const secrets = memorySecrets();
  const fpmSocket = join(d('run'), 'php-fpm-acme.sock');
  const overrides: Partial<InstallFacts> = {
    serviceManager: 'none',
    cronDir: d('cron.d'),
    fpmSocket,
    skipCron: o.skipCron,
    apacheListen: o.webServer === 'apache',
    ...(o.webServer === 'apache' ? { apacheAccessLog: join(d('logs'), 'access.log') } : {}),
  };
  const facts = await gatherInstallFacts(host, plan, overrides);
  const ctx: StepContext = {
    plan,
    policy: loadPolicy(),
    facts: { ...facts },
    outputs: {},
    secret: (n) => secrets.secret(n),
  };
  const stop = async () => {
    for (const r of running.reverse()) await r.stop().catch(() => {});
    await db.stop().catch(() => {});
    await host.close().catch(() => {});
    if (!o.keep) removeDir(dir);
  };
  try {
    const started = Date.now();
    const timings = await runPipeline(host, installPipeline(), ctx);
    const installMs = Date.now() - started;
    running.push(await startFpmWithPools(d('fpm'), plan.target.phpFpmPoolDir!, fpmSocket));
    const startWeb = o.webServer === 'apache' ? startApacheWithSites : startNginxWithSites;
    running.push(await startWeb(d(o.webServer ?? 'nginx'), plan.target.webConfigDir!, [httpPort, httpsPort]));
    return {
      dir,
      plan,
      ctx,
      host,
      secrets,
      cert,
      db,
      httpPort,
      httpsPort,
      timings,
      installMs,
      stop,
      rerun: () => runPipeline(host, installPipeline(), ctx),
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

export const caOf = (stack: InstallStack) => readFileSync(stack.cert.caPath);
