import { mkdirSync, readdirSync, readlinkSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginThroughForm } from '../../src/dolibarr/login-form.js';
import { SecretStore } from '../../src/store/secrets.js';
import { installPipeline } from '../../src/steps/install/index.js';
import { journalPath, readJournal } from '../../src/runner/index.js';
import { prepareInstallTarget, type InstallTarget } from '../helpers/runner-install.js';
import { spawnHelper, type ChildRun } from '../helpers/runner-spawn.js';
import {
  startFpmWithPools,
  startNginxWithSites,
  type Running,
} from '../helpers/install-stack/web-servers.js';

/**
 * The real install pipeline (fixture release, real MariaDB) through the runner in a child process,
 * kill -9'd at several step boundaries in a row, each time resumed by a new process; the result must
 * be a working install (login through the form over HTTPS) with a single release directory.
 */
const ids = installPipeline().map((s) => s.id);
const at = (event: string, id: string) => `${event}:${ids.indexOf(id)}`;
const killPoints = [
  at('step-start', 'install:extract-release'),
  at('step-done', 'install:database'),
  at('step-start', 'install:installer-step2'),
  at('step-done', 'install:conf-lock'),
  at('step-start', 'install:users'),
];

let target: InstallTarget;
const running: Running[] = [];

beforeAll(async () => {
  target = await prepareInstallTarget();
}, 300_000);

afterAll(async () => {
  for (const r of running.reverse()) await r.stop().catch(() => {});
  await target?.stop();
});

const run = (pause?: string): ChildRun =>
  spawnHelper('runner-install-child.ts', [target.setupFile, ...(pause ? [pause] : [])]);

describe('the install pipeline through the runner, killed and resumed', () => {
  it('resumes after kill -9 at each of several boundaries and ends in a working install', async () => {
    const pids: number[] = [];
    for (const point of killPoints) {
      const child = run(point);
      const stop = await Promise.race([child.waitFor('paused'), child.waitFor('error')]);
      expect(stop, JSON.stringify(child.lines.at(-1))).toMatchObject({ type: 'paused' });
      pids.push(child.child.pid!);
      child.child.kill('SIGKILL');
      await child.exited;
    }
    const last = run();
    const { code } = await last.exited;
    expect(
      code,
      JSON.stringify(last.lines.filter((l) => l.type === 'error' || l.type === 'step-failed')),
    ).toBe(0);
    const outcome = last.lines.find((l) => l.type === 'outcome') as {
      steps: { step: string; status: string }[];
      facts: { stamp: string };
    };
    const resumedFrom = ids.indexOf('install:users');
    expect(outcome.steps.slice(0, resumedFrom).every((s) => s.status !== 'done')).toBe(true);
    expect(outcome.steps.slice(resumedFrom).every((s) => s.status !== 'journal')).toBe(true);

    // one release, named with the stamp of the first (killed) run, and current points at it
    const records = readJournal(journalPath(target.home, 'acme-install'));
    const first = records.find((r) => r.type === 'run-started');
    expect(first?.type === 'run-started' && first.pid).toBe(pids[0]);
    const stamp = first?.type === 'run-started' ? String(first.facts.stamp) : '';
    expect(outcome.facts.stamp).toBe(stamp);
    expect(readdirSync(join(target.plan.target.root, 'releases'))).toEqual([`20.0.2-${stamp}`]);
    expect(readlinkSync(join(target.plan.target.root, 'current'))).toContain(`20.0.2-${stamp}`);
    expect(records.filter((r) => r.type === 'run-started')).toHaveLength(killPoints.length + 1);

    // the install works: PHP-FPM and nginx from the files the pipeline wrote, login through the form
    for (const d of ['fpm', 'nginx']) mkdirSync(join(target.dir, d), { recursive: true });
    running.push(
      await startFpmWithPools(join(target.dir, 'fpm'), target.plan.target.phpFpmPoolDir!, target.fpmSocket),
    );
    running.push(
      await startNginxWithSites(join(target.dir, 'nginx'), target.plan.target.webConfigDir!, [
        target.httpPort,
        target.httpsPort,
      ]),
    );
    const admin = new SecretStore(target.home, target.keyFile).get('acme/admin');
    const login = await loginThroughForm({
      url: target.plan.site.url,
      login: target.plan.admin.login,
      password: admin,
      address: '127.0.0.1',
      ca: readFileSync(target.cert.caPath),
    });
    expect(login.ok, login.reason).toBe(true);
    expect(readFileSync(journalPath(target.home, 'acme-install'), 'utf8')).not.toContain(admin.reveal());
  }, 600_000);

  it('a second run after success changes nothing it can probe: those steps are skipped as in place', async () => {
    const again = run();
    expect((await again.exited).code).toBe(0);
    const outcome = again.lines.find((l) => l.type === 'outcome') as {
      steps: { step: string; status: string }[];
    };
    expect(outcome.steps.filter((s) => s.status === 'in-place').map((s) => s.step)).toEqual(
      expect.arrayContaining([
        'install:extract-release',
        'install:installer-step1',
        'install:installer-step2',
      ]),
    );
    expect(readdirSync(join(target.plan.target.root, 'releases'))).toHaveLength(1);
  }, 300_000);
});
