import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDashboard, password, type Dashboard } from './helpers/dashboard.js';
import { ApiClient } from './helpers/api-client.js';
import { seedDeployment } from './helpers/walk.js';
import { startPostgres, type Postgres } from '../helpers/services/postgres.js';
import { openQueuePool } from '../../src/queue/pool.js';
import { Secret } from '../../src/core/secret.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

/**
 * Hostile input at the dashboard's queue (issue 12 on issue 20): the body of POST /api/deployments/:id/jobs is
 * data. Only `command` (deploy, verify, validate) and `dryRun` (a deploy's) are read; who acts is the session's
 * person; no option, `as`, home or store can ride along. Every POST needs the CSRF token, and what a row holds is
 * escaped on the job page.
 */
let postgres: Postgres;
let d: Dashboard;
let queue: pg.Pool;
let tina: ApiClient;
let id: string;

beforeAll(async () => {
  postgres = await startPostgres();
  const url = await postgres.createDatabase();
  d = await startDashboard({ queueUrl: url });
  queue = await openQueuePool(url, 2); // the queue's schema, as a worker or the dashboard makes it
  tina = new ApiClient(d.url);
  expect((await tina.login('tina', password('tina'))).status).toBe(200);
  id = await seedDeployment(d.app, d.planYaml({ id: 'hostile-queue' }), 'submitted');
});
afterAll(async () => {
  await queue?.end();
  await d?.close();
  await postgres?.stop();
});

const rowOf = async (job: number) =>
  (await queue.query('SELECT command, args, requested_by FROM mokodeploy_queue.jobs WHERE id = $1', [job])).rows[0];

describe('POST /api/deployments/:id/jobs', () => {
  it('reads only command and dryRun: options, as, home and store in the body are refused, never ignored', async () => {
    const count = async () => (await queue.query('SELECT count(*)::int AS n FROM mokodeploy_queue.jobs')).rows[0].n;
    const before = await count();
    for (const extra of [
      { as: 'dave' },
      { options: { home: '/tmp/evil', store: 'sqlite:/tmp/evil.sqlite', address: '--home=/tmp/evil' } },
      { args: { deploymentId: 'other', as: 'dave', options: { home: '/tmp/evil' } } },
      { deploymentId: 'other' },
    ]) {
      const refused = await tina.post(`/api/deployments/${id}/jobs`, { json: { command: 'verify', ...extra } });
      expect({ extra, status: refused.status }).toEqual({ extra, status: 400 });
      expect(refused.data.error).toContain(Object.keys(extra)[0]);
    }
    expect(await count()).toBe(before);
    const res = await tina.post(`/api/deployments/${id}/jobs`, { json: { command: 'verify' } });
    expect(res.status, res.text).toBe(202);
    expect(await rowOf(res.data.job)).toEqual({
      command: ['verify'],
      args: { deploymentId: id, as: 'tina', options: {} },
      requested_by: 'tina',
    });
  });

  it('refuses a command the dashboard does not queue, and a dry run of anything but a deploy (400, nothing queued)', async () => {
    const before = (await queue.query('SELECT count(*)::int AS n FROM mokodeploy_queue.jobs')).rows[0].n;
    for (const json of [
      { command: 'rollback' },
      { command: ['deploy', '--home', '/tmp/evil'] },
      { command: 'deploy --home=/tmp/evil' },
      { command: 'verify', dryRun: true },
      { command: 'validate', dryRun: true },
    ]) {
      const res = await tina.post(`/api/deployments/${id}/jobs`, { json });
      expect({ json, status: res.status }).toEqual({ json, status: 400 });
    }
    expect((await queue.query('SELECT count(*)::int AS n FROM mokodeploy_queue.jobs')).rows[0].n).toBe(before);
  });

  it('needs the CSRF token (API and the form next to "Deploy now")', async () => {
    const api = await tina.post(`/api/deployments/${id}/jobs`, { json: { command: 'verify' }, csrf: null });
    expect(api.status).toBe(403);
    const form = await tina.post(`/deployments/${id}/enqueue`, { csrf: null });
    expect(form.status).toBe(403);
  });

  it("shows a crafted row's values as text on the job page", async () => {
    const { rows } = await queue.query(
      `INSERT INTO mokodeploy_queue.jobs (command, deployment_id, args, requested_by, requested_via, state, error, output_tail)
       VALUES ($1, $2, $3, $4, 'cli', 'failed', $5, $6) RETURNING id`,
      [
        ['verify', '<script>alert(1)</script>'],
        `${id}"><script>alert(2)</script>`,
        { deploymentId: '<img src=x onerror=alert(3)>', as: 'tina', options: { 'x"><script>': '</code><script>' } },
        '<b>tina</b>',
        'error: <script>alert(4)</script>',
        '</pre><script>alert(5)</script>',
      ],
    );
    const page = await tina.get(`/jobs/${rows[0].id}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toMatch(/<script>alert|<img src=x|<b>tina/);
    expect(page.text).toContain('&lt;script&gt;alert(4)&lt;/script&gt;');
  });

  it("redacts again what a worker did not know was a secret: the job's API, its page and its progress stream", async () => {
    // a secret this machine holds (e.g. its own store password) that a worker on another machine never loaded
    const secret = new Secret('dashboard-only-s3cret-value');
    const leaked = secret.reveal();
    const { rows } = await queue.query(
      `INSERT INTO mokodeploy_queue.jobs (command, deployment_id, args, requested_by, requested_via, state, error, output_tail)
       VALUES ('{verify}', $1, $2, 'tina', 'cli', 'failed', $3, $4) RETURNING id`,
      [id, { deploymentId: id, as: 'tina', options: {} }, `error: refused ${leaked}`, `connecting with ${leaked}`],
    );
    const job = rows[0].id as string;
    await queue.query(
      `INSERT INTO mokodeploy_queue.events (job_id, seq, source, record) VALUES ($1, 1, 'journal:x.jsonl', $2), ($1, 2, 'job', $3)`,
      [job, { type: 'run-failed', error: `password ${leaked}` }, { type: 'job-finished', state: 'failed', error: leaked }],
    );
    const api = await tina.get(`/api/jobs/${job}`);
    const list = await tina.get(`/api/deployments/${id}/jobs`);
    const page = await tina.get(`/jobs/${job}`);
    const stream = await tina.get(`/api/jobs/${job}/progress`);
    for (const [what, text] of [['api', api.text], ['list', list.text], ['page', page.text], ['stream', stream.text]]) {
      expect(text, what).not.toContain(leaked);
    }
    expect(api.data.outputTail).toBe('connecting with [redacted]');
    // a fleet's halt reason and a member's reason are the jobs' error lines
    await queue.query(
      `INSERT INTO mokodeploy_queue.fleets (id, operation, options, requested_by, state, halted_reason) VALUES ('fleet-x', 'verify', '{}', 'tina', 'halted', $1)`,
      [`canary failed: ${leaked}`],
    );
    await queue.query(
      `INSERT INTO mokodeploy_queue.fleet_members (fleet_id, client, deployment_id, position, wave, status, reason) VALUES ('fleet-x', 'acme', $1, 0, 0, 'failed', $2)`,
      [id, `error: ${leaked}`],
    );
    for (const path of ['/api/fleets', '/api/fleets/fleet-x', '/fleets', '/fleets/fleet-x']) {
      const r = await tina.get(path);
      expect(r.status, path).toBe(200);
      expect(r.text, path).not.toContain(leaked);
    }
    expect(stream.text).toContain('password [redacted]');
  });
});
