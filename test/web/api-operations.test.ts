import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, password, type Dashboard } from './helpers/dashboard.js';
import { ApiClient } from './helpers/api-client.js';
import { seedDeployment } from './helpers/walk.js';

let d: Dashboard;
const as: Record<string, ApiClient> = {};
beforeAll(async () => {
  d = await startDashboard();
  for (const login of ['tina', 'dave', 'carla', 'quinn']) {
    as[login] = new ApiClient(d.url);
    expect((await as[login]!.login(login, password(login))).status).toBe(200);
  }
});
afterAll(async () => d?.close());

/** A window two days ahead of the real clock: scheduling refuses one in the past. */
const futureWindow = () => {
  const start = Date.now() + 2 * 86_400_000;
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  return { start: iso(start), end: iso(start + 3 * 3_600_000), timezone: 'Europe/Paris' };
};

/** A window open now (began an hour ago): a production deploy runs only inside its approved window (issue 16). */
const openWindow = () => {
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    start: iso(Date.now() - 3_600_000),
    end: iso(Date.now() + 3 * 3_600_000),
    timezone: 'Europe/Paris',
  };
};

const audit = async () => await (await d.app.store()).auditEntries();

describe('plans and operations through the API', () => {
  it('submits a YAML plan as a technical lead; anyone else is refused (403) and the refusal is audited', async () => {
    const refused = await as.quinn!.post('/api/plans', { yaml: d.planYaml({ id: 'api-1' }) });
    expect(refused.status).toBe(403);
    expect(refused.data.kind).toBe('refused');
    expect((await audit()).at(-1)).toMatchObject({ actor: 'quinn', action: 'refused:plan-submit' });
    const ok = await as.tina!.post('/api/plans', { yaml: d.planYaml({ id: 'api-1' }) });
    expect(ok.status).toBe(201);
    expect(ok.data).toMatchObject({ id: 'api-1', state: 'submitted' });
    expect((await audit()).at(-1)).toMatchObject({
      actor: 'tina',
      action: 'plan-submit',
      deploymentId: 'api-1',
    });
  });

  it('reports a bad plan with its place in the YAML (400)', async () => {
    const bad = await as.tina!.post('/api/plans', { yaml: 'client: acme\nkind: sideways\n' });
    expect(bad.status).toBe(400);
    expect(bad.data.kind).toBe('input');
    expect(JSON.stringify(bad.data)).toMatch(/kind/);
  });

  it('performs an operation by name with the core roles: the author may not approve; a manager may', async () => {
    const author = await as.tina!.post('/api/deployments/api-1/operations/approve', { json: {} });
    expect(author.status).toBe(403);
    const ok = await as.dave!.post('/api/deployments/api-1/operations/approve', {
      json: { note: 'looks right' },
    });
    expect(ok.status).toBe(200);
    expect(ok.data).toMatchObject({ id: 'api-1', operation: 'approve', state: 'approved' });
    const entry = (await audit()).at(-1)!;
    expect(entry).toMatchObject({
      actor: 'dave',
      role: 'deployment-manager',
      action: 'approve',
      deploymentId: 'api-1',
    });
  });

  it('answers unknown operations (404), bad input (400 with details) and gate refusals (409) as JSON', async () => {
    const unknown = await as.dave!.post('/api/deployments/api-1/operations/teleport', { json: {} });
    expect(unknown.status).toBe(404);
    const bad = await as.dave!.post('/api/deployments/api-1/operations/schedule', {
      json: { clientApprovedBy: 42 },
    });
    expect(bad.status).toBe(400);
    expect(bad.data.details.join('\n')).toMatch(/clientApprovedBy/);
    const gate = await as.dave!.post('/api/deployments/api-1/operations/ready', { json: {} });
    expect(gate.status).toBe(409);
    expect(gate.data).toMatchObject({ kind: 'refused' });
    expect(gate.data.details.length + (gate.data.fix ? 1 : 0)).toBeGreaterThan(0);
    const missing = await as.dave!.get('/api/deployments/nope');
    expect(missing.status).toBe(404);
  });

  it('records a draft, submits it by operation name, and revises the plan with PUT (YAML)', async () => {
    const draft = await as.tina!.post('/api/plans?draft=true', { yaml: d.planYaml({ id: 'api-draft' }) });
    expect(draft.data).toMatchObject({ id: 'api-draft', state: 'draft' });
    const submitted = await as.tina!.post('/api/deployments/api-draft/operations/submit', { json: {} });
    expect(submitted.data.state).toBe('submitted');
    const revised = await as.tina!.request('PUT', '/api/deployments/api-draft/plan', {
      yaml: d.planYaml({ id: 'api-draft', clientName: 'New name' }),
    });
    expect(revised.status).toBe(200);
    expect(revised.data.planHash).not.toBe(draft.data.planHash);
    const byQa = await as.quinn!.request('PUT', '/api/deployments/api-draft/plan', {
      yaml: d.planYaml({ id: 'api-draft' }),
    });
    expect(byQa.status).toBe(403);
    await as.dave!.post('/api/deployments/api-draft/operations/cancel', { json: { reason: 'test record' } });
  });

  it('shows status with the open gates, and the checklist', async () => {
    const status = await as.carla!.get('/api/deployments/api-1/status');
    expect(status.status).toBe(200);
    const ready = status.data.next.find((n: { to: string }) => n.to === 'ready');
    expect(ready.open.map((g: { gate: string }) => g.gate)).toContain('checklist:uat-completed');
    const checklist = await as.carla!.get('/api/deployments/api-1/checklist');
    expect(checklist.data.find((i: { id: string }) => i.id === 'plan-approved').done).toBe(true);
  });
});

describe('checklist evidence upload', () => {
  it('ticks an item with an uploaded file stored content-addressed, like the CLI', async () => {
    const content = Buffer.from('UAT report: all 42 scenarios passed\n');
    const form = new FormData();
    form.append('evidence', 'UAT signed by the client');
    form.append('file', new Blob([content], { type: 'text/plain' }), 'uat-report.txt');
    const res = await as.carla!.post('/api/deployments/api-1/checklist/uat-completed', { form });
    expect(res.status).toBe(200);
    const sha256 = createHash('sha256').update(content).digest('hex');
    expect(res.data.evidence).toEqual([
      { kind: 'text', text: 'UAT signed by the client' },
      { kind: 'file', name: 'uat-report.txt', sha256, size: content.length },
    ]);
    expect(readFileSync(join(d.app.home, 'evidence', sha256))).toEqual(content);
    const download = await as.quinn!.get(`/api/evidence/${sha256}`);
    expect(download.text).toBe(content.toString());
    expect(download.headers.get('content-disposition')).toMatch(/attachment/);
  });

  it("refuses a tick by someone without the item's role (403, audited) and JSON evidence naming a file never uploaded", async () => {
    const form = new FormData();
    form.append('evidence', 'I did the scan');
    const wrongRole = await as.carla!.post('/api/deployments/api-1/checklist/security-scan', { form });
    expect(wrongRole.status).toBe(403);
    expect((await audit()).at(-1)).toMatchObject({
      actor: 'carla',
      action: 'refused:tick',
      deploymentId: 'api-1',
    });
    const fake = await as.quinn!.post('/api/deployments/api-1/operations/tick', {
      json: {
        item: 'security-scan',
        evidence: [{ kind: 'file', name: 'x', sha256: 'a'.repeat(64), size: 1 }],
      },
    });
    expect(fake.status).toBe(400);
  });
});

describe('sign-off roles', () => {
  let id: string;
  beforeAll(async () => {
    id = await seedDeployment(
      d.app,
      d.planYaml({ id: 'api-signoff', window: futureWindow() }),
      'awaiting-signoff',
    );
  });

  it('refuses the technical sign-off to QA (403) and audits the refusal; the technical lead gives it', async () => {
    const before = (await audit()).length;
    const refused = await as.quinn!.post(`/api/deployments/${id}/operations/signoff`, {
      json: { kind: 'technical' },
    });
    expect(refused.status).toBe(403);
    expect(refused.data.error).toMatch(/may not give the/);
    const entries = await audit();
    expect(entries.length).toBe(before + 1);
    expect(entries.at(-1)).toMatchObject({ actor: 'quinn', action: 'refused:signoff', deploymentId: id });
    const ok = await as.tina!.post(`/api/deployments/${id}/operations/signoff`, {
      json: { kind: 'technical' },
    });
    expect(ok.status).toBe(200);
    const record = (await as.tina!.get(`/api/deployments/${id}`)).data;
    expect(record.signoffs.map((s: { kind: string; stamp: { by: string } }) => [s.kind, s.stamp.by])).toEqual(
      [['technical', 'tina']],
    );
  });

  it('shows each sign-off form only to the role that gives it', async () => {
    const page = async (who: string) => (await as[who]!.get(`/deployments/${id}`)).text;
    const quinn = await page('quinn');
    expect(quinn).not.toContain('Authorise go-live');
    expect(quinn).not.toContain('Record the client sign-off');
    const dave = await page('dave');
    expect(dave).toContain('Authorise go-live');
    expect(dave).not.toContain('Record the client sign-off');
    const carla = await page('carla');
    expect(carla).toContain('Record the client sign-off');
    expect(carla).not.toContain('Authorise go-live');
  });
});

describe('environment validation', () => {
  it('refuses a person without validation.run before probing (403, audited)', async () => {
    const res = await as.carla!.post('/api/deployments/api-1/validate');
    expect(res.status).toBe(403);
    expect((await audit()).at(-1)).toMatchObject({
      actor: 'carla',
      action: 'refused:validation.run',
      deploymentId: 'api-1',
    });
  });

  it("runs the policy's checks on the target and records the report on the deployment", async () => {
    const before = (await as.quinn!.get('/api/deployments/api-1')).data.validations.length;
    const res = await as.quinn!.post('/api/deployments/api-1/validate');
    expect(res.status).toBe(200);
    expect(res.data.report.findings.length).toBeGreaterThan(5);
    const record = (await as.quinn!.get('/api/deployments/api-1')).data;
    expect(record.validations).toHaveLength(before + 1);
    expect(record.validations.at(-1).worst).toBe(res.data.worst);
    expect((await audit()).at(-1)).toMatchObject({
      actor: 'quinn',
      action: 'record-validation',
      deploymentId: 'api-1',
    });
  });
});

describe('deploying from the dashboard', () => {
  it('refuses a person without deployment.execute (403, audited) and a deployment not scheduled (409)', async () => {
    const byQa = await as.quinn!.post('/api/deployments/api-1/deploy');
    expect(byQa.status).toBe(403);
    expect((await audit()).at(-1)).toMatchObject({
      actor: 'quinn',
      action: 'refused:start-run',
      deploymentId: 'api-1',
    });
    const early = await as.tina!.post('/api/deployments/api-1/deploy');
    expect(early.status).toBe(409);
    expect(early.data.error).toMatch(/is approved: a deployment runs once it is scheduled/);
  });

  it('starts `mokodeploy deploy` in the background, logging to the store (an unreachable target fails there)', async () => {
    const target = {
      host: '127.0.0.1',
      port: 1,
      root: '/srv/moko/acme',
      dataRoot: '/srv/moko/data',
      backupRoot: '/srv/moko/backups',
    };
    const id = await seedDeployment(
      d.app,
      d.planYaml({ id: 'api-deploy', target, window: openWindow() }),
      'scheduled',
    );
    const res = await as.tina!.post(`/api/deployments/${id}/deploy`);
    expect(res.status).toBe(202);
    expect(res.data.log.startsWith(join(d.app.home, 'logs'))).toBe(true);
    let log = '';
    for (let i = 0; i < 100 && !/error/.test(log); i++) {
      await new Promise((r) => setTimeout(r, 200));
      log = readFileSync(res.data.log, 'utf8');
    }
    expect(log).toMatch(/error: .*127\.0\.0\.1/);
    expect((await as.tina!.get(`/api/deployments/${id}`)).data.state).toBe('scheduled');
  });
});

describe('reports', () => {
  it('serves metrics, the monthly review, lessons, and the audit chain status and export', async () => {
    await as.dave!.post('/api/deployments/api-1/operations/lesson', {
      json: { text: 'Check DNS TTL a day before', tags: ['dns'] },
    });
    const metrics = await as.carla!.get('/api/metrics');
    expect(metrics.data.deployments.map((m: { id: string }) => m.id).sort()).toEqual([
      'api-1',
      'api-deploy',
      'api-draft',
      'api-signoff',
    ]);
    expect(metrics.data.months.length).toBeGreaterThan(0);
    const month = metrics.data.months[0].month;
    const review = await as.carla!.get(`/api/review/${month}`);
    expect(review.status).toBe(200);
    expect((await as.carla!.get('/api/review/November')).status).toBe(400);
    const lessons = await as.carla!.get('/api/lessons?q=dns');
    expect(lessons.data).toHaveLength(1);
    const verify = await as.carla!.get('/api/audit/verify');
    expect(verify.data).toMatchObject({ ok: true, problems: [] });
    expect(verify.data.entries).toBe((await audit()).length);
    const exported = await as.carla!.get('/api/audit/export?deployment=api-1');
    const lines = exported.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.every((e: { deploymentId: string }) => e.deploymentId === 'api-1')).toBe(true);
    expect(lines.some((e: { action: string }) => e.action === 'refused:tick')).toBe(true);
  });

  it('lists every operation with its permission and input schema', async () => {
    const ops = (await as.quinn!.get('/api/operations')).data as { name: string; permission: string }[];
    expect(ops.map((o) => o.name)).toEqual(
      expect.arrayContaining(['approve', 'tick', 'signoff', 'go-live', 'record-run']),
    );
  });
});
