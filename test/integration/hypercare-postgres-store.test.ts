import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createApp, type AppContext } from '../../src/app/context.js';
import { main } from '../../src/cli/main.js';
import { teamYaml } from '../helpers/cli.js';
import { planInput } from '../helpers/records.js';
import { startPostgres, type Postgres } from '../helpers/services/postgres.js';
import { seedDeployment } from '../web/helpers/walk.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

/**
 * Issue 20 and secrets: `hypercare schedule` on a PostgreSQL store writes a cron file whose check-ins must open that
 * store (not the empty SQLite file in the home), and the file is world-readable (0644), so the store's URL goes
 * into it without its password.
 */
const dir = mkdtempSync(join(tmpdir(), 'moko-hypercare-pg-'));
let postgres: Postgres;
let app: AppContext;
let store: string;
let id: string;

beforeAll(async () => {
  postgres = await startPostgres();
  store = await postgres.createDatabase(); // with the role's password in it, to be kept out of the cron file
  writeFileSync(join(dir, 'team.yaml'), teamYaml);
  Object.assign(process.env, {
    MOKODEPLOY_TEAM: join(dir, 'team.yaml'),
    MOKODEPLOY_AUDIT_KEY_FILE: join(dir, 'keys', 'audit.key'),
    MOKODEPLOY_SECRET_KEY_FILE: join(dir, 'keys', 'secrets.key'),
  });
  app = createApp({ home: join(dir, 'home'), store, env: process.env });
  id = await seedDeployment(app, stringify(planInput({ id: 'hypercare-pg' })), 'live');
});
afterAll(async () => {
  await app?.close();
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('the hypercare cron of a PostgreSQL store opens that store and evidence location, and carries no password', async () => {
  const password = decodeURIComponent(new URL(store).password);
  expect(password.length).toBeGreaterThan(8);
  const code = await main(['node', 'mokodeploy', '--home', join(dir, 'home'), '--store', store, '--evidence-store', join(dir, 'evidence'), 'hypercare', 'schedule', id, '--dir', join(dir, 'cron'), '--bin', '/usr/bin/mokodeploy']);
  expect(code).toBe(0);
  const file = join(dir, 'cron', `mokodeploy-hypercare-${id}`);
  const cron = readFileSync(file, 'utf8');
  expect(statSync(file).mode & 0o777).toBe(0o644);
  expect(cron).toMatch(/^MOKODEPLOY_STORE=postgres:\/\/moko@127\.0\.0\.1:\d+\/\S+$/m);
  expect(cron).not.toContain(password);
  expect(cron).toContain(`MOKODEPLOY_EVIDENCE=${join(dir, 'evidence')}\n`);
});
