import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type AppContext } from '../../src/app/context.js';
import { buildServer } from '../../src/server/server.js';
import { hashPassword, PasswordFile } from '../../src/server/passwords.js';
import { teamYaml } from '../helpers/cli.js';
import { planInput } from '../helpers/records.js';
import { startPostgres, type Postgres } from '../helpers/services/postgres.js';
import { ApiClient } from './helpers/api-client.js';
import { password } from './helpers/dashboard.js';

/**
 * Issue 20: two dashboards, as on two machines (own home each, the team's audit key), over one PostgreSQL store:
 * what one writes the other shows, two managers approving at once on the two give one approval, and the shared
 * trail verifies from both.
 */
let pg: Postgres;
const servers: { app: AppContext; server: FastifyInstance; url: string }[] = [];
beforeAll(async () => {
  pg = await startPostgres();
  const store = await pg.createDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'moko-web-pg-'));
  writeFileSync(join(dir, 'team.yaml'), teamYaml);
  for (const machine of ['a', 'b']) {
    const env = {
      MOKODEPLOY_TEAM: join(dir, 'team.yaml'),
      MOKODEPLOY_AUDIT_KEY_FILE: join(dir, 'audit-signing.pem'),
    };
    const app = createApp({ home: join(dir, machine), store, env });
    const passwords = new PasswordFile(app.home);
    for (const login of ['tina', 'dave', 'dora']) passwords.write(login, await hashPassword(password(login)));
    const server = await buildServer({
      app,
      sessionKeyFile: join(dir, machine, 'session.key'),
      journalPollMs: 100,
    });
    servers.push({ app, server, url: await server.listen({ port: 0, host: '127.0.0.1' }) });
  }
}, 120_000);
afterAll(async () => {
  for (const s of servers) {
    await s.server.close();
    await s.app.close();
  }
  await pg?.stop();
});

async function client(machine: number, login: string) {
  const c = new ApiClient(servers[machine]!.url);
  expect((await c.login(login, password(login))).status).toBe(200);
  return c;
}

describe('dashboards on two machines over one PostgreSQL store', () => {
  it('one submits, the other shows it; two approvals at once give one; the trail verifies from both', async () => {
    const tina = await client(0, 'tina');
    const submitted = await tina.post('/api/plans', { yaml: stringify(planInput({ id: 'pg-1' })) });
    expect(submitted.status, submitted.text).toBe(201);
    const dave = await client(0, 'dave');
    const dora = await client(1, 'dora');
    expect((await dora.get('/api/deployments/pg-1')).data).toMatchObject({ id: 'pg-1', state: 'submitted' });

    const [a, b] = await Promise.all([
      dave.post('/api/deployments/pg-1/operations/approve', { json: {} }),
      dora.post('/api/deployments/pg-1/operations/approve', { json: {} }),
    ]);
    expect([a.status, b.status].filter((s) => s === 200)).toHaveLength(1);
    expect([a.status, b.status].find((s) => s !== 200)).toBeGreaterThanOrEqual(400);
    const entries = await (await servers[1]!.app.store()).auditEntries();
    expect(entries.filter((e) => e.action === 'approve')).toHaveLength(1);
    expect((await tina.get('/api/deployments/pg-1')).data.state).toBe('approved');
    for (const c of [tina, dora])
      expect((await c.get('/api/audit/verify')).data).toMatchObject({ ok: true, signaturesChecked: true });
  }, 60_000);
});
