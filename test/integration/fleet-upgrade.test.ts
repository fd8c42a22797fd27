import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { SecretStore } from '../../src/store/secrets.js';
import { createApp } from '../../src/app/context.js';
import { buildServer } from '../../src/server/server.js';
import { hashPassword, PasswordFile } from '../../src/server/passwords.js';
import { ApiClient } from '../web/helpers/api-client.js';
import { buildFixtureRelease } from '../helpers/fixture-release/build.js';
import { startInstallStack, type InstallStack } from '../helpers/install-stack/index.js';
import { teamPeople, workspace, type Workspace } from '../helpers/cli.js';
import { prepareClients } from '../helpers/queue/clients.js';
import { startPostgres, type Postgres } from '../helpers/services/postgres.js';
import { startWorkerProcess, type WorkerProcess } from '../helpers/queue/worker-process.js';

vi.setConfig({ testTimeout: 600_000, hookTimeout: 400_000 });

/**
 * Issue 20 done-when: a fleet upgrade of 5 fixture clients with a canary halts at the first failure when
 * --max-failures 0. client001 is a real fixture site (Dolibarr fixture 19.0.4 installed on this machine: MariaDB,
 * PHP-FPM, nginx) and its canary upgrade to 20.0.2 runs for real on a worker; client002..005 have approved upgrade
 * records on targets where nothing is installed (their upgrade is refused by the engine itself: a failure);
 * client006's record is only submitted (blocked, never bypassed). Two worker processes take the jobs.
 */
let pg: Postgres;
let stack: InstallStack;
let ws: Workspace;
let env: NodeJS.ProcessEnv;
let store: string;
const workers: WorkerProcess[] = [];
const hostile = '<script>alert(1)</script> & "Co"';

beforeAll(async () => {
  pg = await startPostgres();
  store = await pg.createDatabase(); // the PostgreSQL store, the queue beside it
  process.env.MOKODEPLOY_STORE = store;
  try {
    ws = workspace();
  } finally {
    delete process.env.MOKODEPLOY_STORE;
  }
  const old = buildFixtureRelease({ version: '19.0.4' }, join(ws.dir, 'old'));
  const release = buildFixtureRelease({ version: '20.0.2' }, join(ws.dir, 'new'));
  stack = await startInstallStack({ release: old.tarball, version: old.version, sha256: old.sha256 });
  const keyFile = join(ws.dir, 'secret.key');
  env = { MOKODEPLOY_SECRET_KEY_FILE: keyFile };
  const secrets = new SecretStore(join(ws.dir, '.mokodeploy'), keyFile);
  for (const name of ['acme/db', 'acme/admin']) secrets.set(name, stack.secrets.secret(name));
  const now = Date.now();
  ws.writePlan(
    'client001.yaml',
    stringify({
      ...JSON.parse(JSON.stringify(stack.plan)),
      client: 'client001',
      clientName: 'Client 1 (the canary)',
      id: 'client001-2026-12',
      kind: 'upgrade',
      environment: 'staging',
      dolibarr: { version: release.version, release: release.tarball, sha256: release.sha256, upgradeFrom: '19.0.4' },
      people: teamPeople,
      window: { start: new Date(now - 3_600_000).toISOString(), end: new Date(now + 6 * 3_600_000).toISOString(), timezone: 'UTC' },
    }),
  );
  for (const args of [
    ['plan', 'submit', 'client001.yaml', '--as', 'tina'],
    ['approve', 'client001-2026-12', '--as', 'dave'],
    ['ready', 'client001-2026-12', '--as', 'tina'],
    ['schedule', 'client001-2026-12', '--as', 'dave', '--client-approved-by', 'Jane Client'],
  ]) {
    const r = ws.run(args, env);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  }
  prepareClients({ ws, release, kind: 'upgrade', first: 2, count: 5, unapproved: [6], clientName: (i) => (i === 4 ? hostile : `Client ${i}`) });
  for (let i = 0; i < 2; i++) {
    const w = startWorkerProcess(ws.dir, { ...ws.env, ...env });
    workers.push(w);
    await w.ready;
  }
});

afterAll(async () => {
  for (const w of workers) await w.stop().catch(() => undefined);
  await stack?.stop();
  await pg?.stop();
});

describe('mokodeploy fleet upgrade', () => {
  it('runs the canary for real, then halts at the first failure of a wave with --max-failures 0', { retry: 0 }, async () => {
    const site = ['--address', '127.0.0.1', '--ca-file', stack.cert.caPath, '--fpm-pid', join(stack.dir, 'fpm', 'php-fpm.pid')];
    const r = await ws.runAsync(
      ['--json', 'fleet', 'upgrade', '--all', '--canary', '1', '--wave', '2', '--max-failures', '0', '--as', 'tina', ...site],
      env,
    );
    expect(r.code, `${r.stderr}\n${workers.map((w) => w.output()).join('\n')}`).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.clients.done, JSON.stringify(report.members, null, 1)).toEqual(['client001']);
    expect(report.state).toBe('halted');
    expect(report.haltedReason).toBe('1 failure, more than --max-failures 0');
    expect(report.clients.done).toEqual(['client001']);
    expect(report.clients.failed[0]).toBe('client002');
    // client003 shared client002's wave: it failed too or was withdrawn before a worker took it
    expect([...report.clients.failed, ...report.clients.untouched].sort()).toEqual(['client002', 'client003', 'client004', 'client005']);
    expect(report.clients.untouched).toEqual(expect.arrayContaining(['client004', 'client005']));
    expect(report.clients.blocked).toEqual(['client006']);
    const byClient = Object.fromEntries(report.members.map((m: { client: string }) => [m.client, m]));
    expect(byClient.client002.reason).toContain('nothing is deployed');
    expect(byClient.client006.reason).toContain('is submitted');
    expect(byClient.client004.jobId).toBeNull(); // its wave never started
    expect(r.stderr).toContain('fleet: canary: client001');
    expect(r.stderr).toContain('fleet: halting: 1 failure');

    // the canary's upgrade ran through the engine on a worker: recorded like a typed `mokodeploy upgrade`
    const canary = JSON.parse(ws.run(['--json', 'show', 'client001-2026-12']).stdout);
    expect(canary.state).toBe('verifying');
    expect(canary.runs.at(-1)).toMatchObject({ outcome: 'succeeded' });
    // no job was ever queued for the untouched wave, and the blocked record was not touched
    const later = JSON.parse(ws.run(['--json', 'jobs', '--deployment', 'client005-2026-12'], env).stdout);
    expect(later).toEqual([]);
    expect(JSON.parse(ws.run(['--json', 'show', 'client006-2026-12']).stdout).state).toBe('submitted');

    // the report: HTML (escaped) and JSON, and the fleet's progress from any machine with the queue
    const html = readFileSync(report.files.html, 'utf8');
    expect(html).toContain('Halted: 1 failure, more than --max-failures 0.');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;');
    expect(html).not.toContain('<script>');
    expect(JSON.parse(readFileSync(report.files.json, 'utf8')).clients.done).toEqual(['client001']);
    const status = ws.run(['fleet', 'status', report.fleet], env);
    expect(status.stdout).toContain('done: client001');
    expect(status.stdout).toContain('blocked: client006');

    // and on the dashboard: the fleet's page and its JSON, read from the queue's rows
    const app = createApp({ home: join(ws.dir, '.mokodeploy'), env: { ...ws.env, ...env, MOKODEPLOY_TEAM: join(ws.dir, 'team.yaml') } });
    await new PasswordFile(app.home).write('dave', await hashPassword('dave-has-a-long-passphrase'));
    const server = await buildServer({ app, sessionKeyFile: join(ws.dir, 'session.key'), queueUrl: store });
    try {
      const api = new ApiClient(await server.listen({ port: 0, host: '127.0.0.1' }));
      expect((await api.login('dave', 'dave-has-a-long-passphrase')).status).toBe(200);
      const json = await api.get(`/api/fleets/${report.fleet}`);
      expect(json.data.state).toBe('halted');
      const page = await api.get(`/fleets/${report.fleet}`);
      expect(page.text).toContain('Halted: 1 failure, more than --max-failures 0.');
      expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(page.text).not.toContain('<script>alert(1)');
      expect((await api.get('/fleets')).text).toContain(report.fleet);
    } finally {
      await server.close();
      await app.close();
    }
  });
});
