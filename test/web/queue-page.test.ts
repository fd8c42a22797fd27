import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, type AppContext } from '../../src/app/context.js';
import { buildServer } from '../../src/server/server.js';
import { hashPassword, PasswordFile } from '../../src/server/passwords.js';
import { prepareClients, type Clients } from '../helpers/queue/clients.js';
import { startPostgres, type Postgres } from '../helpers/services/postgres.js';
import { startWorkerProcess, type WorkerProcess } from '../helpers/queue/worker-process.js';
import { logIn, openBrowser, screenshot } from './helpers/browser.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

/**
 * The dashboard's "Queue for a worker" button in Chromium (PostgreSQL store, the queue beside it): the job's page
 * follows the run live from the queue's events, written by a worker in another process started after the page
 * was opened. The target's database does not answer (port 1), so the run fails at install:database: the page shows
 * the run starting, the step, the failure and the job's end as they happen.
 */
let pg: Postgres;
let c: Clients;
let store: string;
let app: AppContext;
let server: FastifyInstance;
let url: string;
let worker: WorkerProcess | undefined;

beforeAll(async () => {
  pg = await startPostgres();
  store = await pg.createDatabase();
  process.env.MOKODEPLOY_STORE = store;
  try {
    c = prepareClients({ count: 1 });
  } finally {
    delete process.env.MOKODEPLOY_STORE;
  }
  app = createApp({ home: join(c.ws.dir, '.mokodeploy'), env: { ...c.ws.env, ...c.env, MOKODEPLOY_TEAM: join(c.ws.dir, 'team.yaml') } });
  await new PasswordFile(app.home).write('tina', await hashPassword('tina-has-a-long-passphrase'));
  server = await buildServer({ app, sessionKeyFile: join(c.ws.dir, 'session.key'), queueUrl: store });
  url = await server.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await worker?.stop();
  await server?.close();
  await app?.close();
  await pg?.stop();
});

describe('Queue for a worker, in the browser', () => {
  it('queues the deploy and the job page shows its progress live from another process', { retry: 0 }, async () => {
    const b = await openBrowser();
    try {
      const { page } = b;
      const missing: string[] = [];
      page.on('response', (r) => (r.status() === 404 ? missing.push(r.url()) : undefined));
      await logIn(page, url, 'tina', 'tina-has-a-long-passphrase');
      await page.goto(new URL(`/deployments/${c.ids[0]}`, url).href);
      await page.getByRole('button', { name: 'Queue for a worker' }).click();
      await page.waitForURL(/\/jobs\/\d+$/);
      await expect.poll(() => page.locator('#job-state').textContent()).toBe('queued');
      expect(await page.locator('#job-command').textContent()).toBe(`mokodeploy deploy --as tina -- ${c.ids[0]}`);

      worker = startWorkerProcess(c.ws.dir, { ...c.ws.env, ...c.env });
      const events = page.locator('#job-events');
      await expect.poll(() => events.textContent(), { timeout: 120_000 }).toContain('install:database: started');
      await expect.poll(() => events.textContent(), { timeout: 120_000 }).toMatch(/run failed at install:database/);
      await expect.poll(() => page.locator('#job-state').textContent(), { timeout: 60_000 }).toBe('failed');
      await expect.poll(() => page.locator('#job-live').textContent()).toBe('This job has run.');
      expect(await events.textContent()).toMatch(/started on \S+ \(pid \d+\), attempt 1/);
      await screenshot(page, 'queue-job-page');
      expect(missing).toEqual([]); // the page's own resources, its script included (the favicon aside)
      expect(b.consoleErrors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]); // no CSP violation
    } finally {
      await b.close();
    }
  });
});
