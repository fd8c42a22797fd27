import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, password, type Dashboard } from './helpers/dashboard.js';
import { ApiClient } from './helpers/api-client.js';
import { seedDeployment } from './helpers/walk.js';
import { allVerificationResults } from '../helpers/records.js';

/** Issue 12 over HTTP: engine results only from the engine, server-side logout, the limiter, bad bytes. */
let d: Dashboard;
const as: Record<string, ApiClient> = {};
beforeAll(async () => {
  d = await startDashboard({ loginPerIpPerMinute: 100, loginFailuresPerAccount: 5 });
  for (const login of ['tina', 'quinn']) {
    as[login] = new ApiClient(d.url);
    expect((await as[login]!.login(login, password(login))).status).toBe(200);
  }
});
afterAll(async () => d?.close());

/** A window ahead of the real clock: scheduling refuses one in the past. */
const day = 86_400_000;
const window = {
  start: new Date(Date.now() + 2 * day).toISOString().replace(/\.\d+Z$/, 'Z'),
  end: new Date(Date.now() + 2 * day + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z'),
  timezone: 'Europe/Paris',
};
const plan = (id: string) => d.planYaml({ id, window });

const audit = async () => await (await d.app.store()).auditEntries();
const record = async (id: string) => (await (await d.app.store()).get(id))!.record;

describe('engine results come only from the engine', () => {
  it('refuses a validation report in a request body (403, audited): the validation gate stays open', async () => {
    const id = await seedDeployment(d.app, plan('trust-1'), 'approved');
    const res = await as.quinn!.post(`/api/deployments/${id}/operations/record-validation`, {
      json: { target: 'x', findings: [], worst: 'pass' },
    });
    expect(res.status).toBe(403);
    expect(res.data.error).toMatch(/record-validation records what mokodeploy's own run found/);
    expect(res.data.fix).toContain(`/api/deployments/${id}/validate`);
    expect((await audit()).at(-1)).toMatchObject({ actor: 'quinn', action: 'refused:record-validation' });
    const r = await record(id);
    expect(r.validations).toHaveLength(0);
    expect(r.checklist['environment-confirmed']?.ticked ?? false).toBe(false);
  });

  it('refuses automated (and any) verification results, run facts and run starts from a client', async () => {
    const id = await seedDeployment(d.app, plan('trust-2'), 'scheduled');
    for (const [op, json] of [
      ['record-verification', { source: 'automated', results: allVerificationResults('pass') }],
      ['record-verification', { source: 'manual', results: allVerificationResults('pass') }],
      ['record-facts', { lastRun: { outcome: 'succeeded' } }],
      ['start-run', {}],
      ['finish-run', { outcome: 'succeeded', durationSeconds: 1 }],
      ['support-checkin', { summary: 'all green', source: 'scheduled-verification' }],
    ] as const) {
      const res = await as.tina!.post(`/api/deployments/${id}/operations/${op}`, { json });
      expect({ op, status: res.status }).toEqual({ op, status: 403 });
    }
    const r = await record(id);
    expect(r.state).toBe('scheduled');
    expect(r.verifications).toHaveLength(0);
    expect(r.runs).toHaveLength(0);
    expect(r.facts).not.toHaveProperty('lastRun');
  });

  it("takes QA's manual results on the verification route (as manual), not as an engine result", async () => {
    const res = await as.quinn!.post('/api/deployments/trust-2/verification', {
      json: { source: 'automated', results: allVerificationResults('pass') },
    });
    // reaches the operation (which wants a run first), unlike the generic route's refusal
    expect(res.status).toBe(409);
    expect(res.data.error).toMatch(/verification follows a deployment run/);
  });
});

describe('sessions end on the server', () => {
  it('a copy of the cookie stops working after logout', async () => {
    const c = new ApiClient(d.url);
    expect((await c.login('tina', password('tina'))).status).toBe(200);
    const copy = new ApiClient(d.url);
    copy.cookie = c.cookie;
    expect((await copy.get('/api/deployments')).status).toBe(200);
    expect((await c.post('/api/logout')).status).toBe(200);
    expect((await copy.get('/api/deployments')).status).toBe(401);
    expect(statSync(join(d.app.home, 'sessions-revoked.json')).mode & 0o777).toBe(0o600);
  });
});

describe('the per-login limit', () => {
  it('counts an attempt before the slow hash: of 10 parallel wrong logins with a limit of 5, 5 reach it', async () => {
    const clients = Array.from({ length: 10 }, () => new ApiClient(d.url));
    await Promise.all(clients.map((c) => c.session()));
    const statuses = await Promise.all(
      clients.map(
        async (c) =>
          (await c.post('/api/login', { json: { login: 'dora', password: 'wrong-guess' } })).status,
      ),
    );
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
  });
});

describe('bad bytes are bad input', () => {
  it('refuses a plan that is not UTF-8 (400, with its line and column)', async () => {
    const yaml = Buffer.concat([
      Buffer.from(d.planYaml({ id: 'latin-1' })),
      Buffer.from('# caf\xe9\n', 'latin1'),
    ]);
    const res = await fetch(new URL('/api/plans', d.url), {
      method: 'POST',
      headers: { cookie: as.tina!.cookie, 'x-csrf-token': as.tina!.csrf, 'content-type': 'application/yaml' },
      body: yaml,
    });
    const body = (await res.json()) as { error: string; where: string };
    expect(res.status).toBe(400);
    expect(body.error).toMatch(/not UTF-8 text \(byte 0xe9/);
    expect(await (await d.app.store()).get('latin-1')).toBeUndefined();
  });

  it('refuses a YAML alias bomb (400), not an internal error', async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [i, name] of [...'bcdefgh'].entries()) {
      const prev = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const res = await as.tina!.post('/api/plans', { yaml: `${levels.join('\n')}\n` });
    expect(res.status).toBe(400);
    expect(res.data.error).toMatch(/expands its aliases/);
  });
});

describe('the store is private', () => {
  it('keeps its directory 0700 and its files (database, WAL, evidence) 0600', async () => {
    const up = new FormData();
    up.append('file', new Blob(['scan report']), 'scan.txt');
    expect((await as.tina!.post('/api/evidence', { form: up })).status).toBeLessThan(300);
    const home = d.app.home;
    expect(statSync(home).mode & 0o777).toBe(0o700);
    for (const f of ['mokodeploy.sqlite', 'mokodeploy.sqlite-wal', 'mokodeploy.sqlite-shm'])
      expect({ f, mode: statSync(join(home, f)).mode & 0o777 }).toEqual({ f, mode: 0o600 });
    expect(statSync(join(home, 'evidence')).mode & 0o777).toBe(0o700);
    const files = readdirSync(join(home, 'evidence'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(statSync(join(home, 'evidence', f)).mode & 0o777).toBe(0o600);
  });
});
