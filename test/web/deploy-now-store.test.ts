import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createApp, type AppContext } from '../../src/app/context.js';
import { buildServer } from '../../src/server/server.js';
import { hashPassword, PasswordFile } from '../../src/server/passwords.js';
import { teamYaml } from '../helpers/cli.js';
import { planInput } from '../helpers/records.js';
import { startPostgres, type Postgres } from '../helpers/services/postgres.js';
import { ApiClient } from './helpers/api-client.js';
import { password } from './helpers/dashboard.js';
import { seedDeployment } from './helpers/walk.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

/**
 * Runs that never mix (issue 13 on issue 20): "Deploy now" starts `mokodeploy deploy` as a child process. A dashboard
 * served with `--store postgres://…` must hand the child that store, or the child opens the SQLite file in the home —
 * empty, or after `store migrate` the old copy of the same records — and deploys from a record that is not the one
 * the dashboard checked. The child gets it by environment (never argv: `ps` shows argv to every user).
 */
const dir = mkdtempSync(join(tmpdir(), 'moko-deploy-now-'));
let postgres: Postgres;
let app: AppContext;
let server: FastifyInstance;
let client: ApiClient;
let id: string;

beforeAll(async () => {
  postgres = await startPostgres();
  const store = await postgres.createDatabase();
  writeFileSync(join(dir, 'team.yaml'), teamYaml);
  const env = {
    ...process.env,
    MOKODEPLOY_TEAM: join(dir, 'team.yaml'),
    MOKODEPLOY_AUDIT_KEY_FILE: join(dir, 'keys', 'audit.key'),
    MOKODEPLOY_SECRET_KEY_FILE: join(dir, 'keys', 'secrets.key'),
  };
  Object.assign(process.env, env); // the child inherits the server's environment, as under `serve`
  delete process.env.MOKODEPLOY_STORE; // the store comes from --store only
  app = createApp({ home: join(dir, 'home'), store, env: process.env });
  const passwords = new PasswordFile(app.home);
  passwords.write('tina', await hashPassword(password('tina')));
  server = await buildServer({ app, sessionKeyFile: join(dir, 'session.key') });
  const url = await server.listen({ port: 0, host: '127.0.0.1' });
  client = new ApiClient(url);
  expect((await client.login('tina', password('tina'))).status).toBe(200);
  id = await seedDeployment(app, stringify(planInput({ id: 'deploy-now-pg' })), 'scheduled');
});
afterAll(async () => {
  await server?.close();
  await app?.close();
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it("the background deploy opens the dashboard's PostgreSQL store, not the SQLite file in the home", async () => {
  const res = await client.post(`/api/deployments/${id}/deploy`, { json: {} });
  expect(res.status, res.text).toBe(202);
  // the child runs until its first failure (here the plan's release file, checked before any change): its error line
  let log = '';
  for (let i = 0; i < 120 && !/^error|internal error/m.test(log); i++) {
    await new Promise((r) => setTimeout(r, 500));
    log = readFileSync(res.data.log, 'utf8');
  }
  expect(log).toMatch(/^error|internal error/m);
  expect(log).not.toContain(`no deployment ${id}`);
  expect(log).not.toMatch(/cannot open the PostgreSQL store/);
});
