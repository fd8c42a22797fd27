import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, password, type Dashboard } from './helpers/dashboard.js';
import { FormBrowser } from './helpers/form-browser.js';

/**
 * The whole team walks a (staging) deployment from plan to closed with the dashboard's forms
 * only — no terminal, no JavaScript. Staging runs the same machinery; the production-only gates
 * are reported as not applicable.
 */
let d: Dashboard;
const people: Record<string, FormBrowser> = {};
const id = 'walk-2026-12';
beforeAll(async () => {
  d = await startDashboard();
  for (const login of ['tina', 'dave', 'carla', 'quinn']) {
    people[login] = new FormBrowser(d.url);
    expect((await people[login]!.login(login, password(login))).status).toBe(200);
  }
});
afterAll(async () => d?.close());

async function act(who: string, action: string, fields: Record<string, string | string[]> = {}) {
  const b = people[who]!;
  const page = await b.page(`/deployments/${id}`);
  const path = action.startsWith('/') ? action : `/deployments/${id}/actions/${action}`;
  const res = await b.submit(path, fields);
  expect({
    who,
    action,
    status: res.status,
    error: res.status === 303 ? '' : /id="error-message">([^<]*)/.exec(res.text)?.[1],
  }).toEqual({
    who,
    action,
    status: 303,
    error: '',
  });
  return page;
}

const state = async () => (await (await d.app.store()).get(id))!.record.state;

describe('a deployment walked through the policy in the dashboard', () => {
  it('goes from plan to closed, each step by the person whose role it is', async () => {
    await people.tina!.page('/plans/new');
    const submitted = await people.tina!.submit('/plans', {
      plan: d.planYaml({ id, environment: 'staging' }),
    });
    expect(submitted.status).toBe(303);
    expect(await state()).toBe('submitted');

    await act('dave', 'approve', { note: 'scope agreed' });
    const page = await people.tina!.page(`/deployments/${id}`);
    expect(page.text).toMatch(/gate\(s\) not applicable to staging/);
    await act('tina', 'ready');
    await act('dave', 'schedule', { clientApprovedBy: 'Alice Client' });
    expect(await state()).toBe('scheduled');

    await act('tina', 'record-run', {
      startedAt: '2026-11-20T20:00:00Z',
      finishedAt: '2026-11-20T20:40:00Z',
      downtimeSeconds: '90',
      evidence: 'deployment console log',
    });
    expect(await state()).toBe('verifying');

    const verifyPage = await people.quinn!.page(`/deployments/${id}`);
    const items = [...verifyPage.text.matchAll(/name="status:([^"]+)"/g)].map((m) => m[1]!);
    await act(
      'quinn',
      `/deployments/${id}/verification`,
      // page load is judged by the time measured against the policy's < 2 s (issue 16)
      {
        ...Object.fromEntries(items.map((i) => [`status:${i}`, 'pass'])),
        'observed:verify.page-load': 'p95 0.9 s',
      },
    );
    expect(await state()).toBe('awaiting-signoff');

    await act('tina', 'signoff-technical');
    await act('dave', 'signoff-go-live');
    await act('carla', 'handoff-deliver', { link: 'https://docs.example/acme/handoff' });
    await act('carla', 'training-plan', { session: 'admin', plannedAt: '2026-11-21T09:00:00Z' });
    await act('carla', 'training-plan', { session: 'user', plannedAt: '2026-11-21T14:00:00Z' });
    await act('carla', 'training-held', {
      id: '1',
      heldAt: '2026-11-21T09:00:00Z',
      durationHours: '3',
      attendees: 'Alice, Bob',
    });
    await act('carla', 'training-held', {
      id: '2',
      heldAt: '2026-11-21T14:00:00Z',
      durationHours: '1.5',
      attendees: 'Bob, Carol',
    });
    await act('carla', 'signoff-client', {
      signatory: 'Alice Client, CEO',
      confirmed: [
        'functionality-approved',
        'training-completed',
        'documentation-accepted',
        'support-confirmed',
      ], // issue 16: checkboxes
      evidence: 'signed sign-off document',
    });
    await act('dave', 'go-live');
    expect(await state()).toBe('live');

    await act('carla', 'support-checkin', { summary: 'users logged in, no errors' });
    await act('quinn', 'issue-open', { title: 'Invoice PDF logo missing', severity: 'minor' });
    await act('tina', 'issue-resolve', { id: '1', resolution: 'logo path fixed' });
    await act('carla', 'satisfaction', { score: '5', comment: 'smooth' });
    await act('dave', 'lesson', { text: 'Book training rooms a week ahead', tags: 'training, planning' });
    await act('dave', 'close', { note: 'hypercare done' });
    expect(await state()).toBe('closed');

    const record = (await (await d.app.store()).get(id))!.record;
    expect(record.signoffs.map((s) => [s.kind, s.stamp.by])).toEqual([
      ['technical', 'tina'],
      ['go-live', 'dave'],
      ['client', 'carla'],
    ]);
    const audit = await people.carla!.get('/api/audit/verify');
    expect(audit.data.ok).toBe(true);
    const entries = (await (await d.app.store()).auditEntries()).filter((e) => e.deploymentId === id);
    expect(entries.map((e) => e.actor)).toEqual(expect.arrayContaining(['tina', 'dave', 'carla', 'quinn']));
    expect(entries.some((e) => e.action.startsWith('refused:'))).toBe(false);
  });
});
