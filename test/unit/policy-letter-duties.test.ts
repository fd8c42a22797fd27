import { describe, expect, it } from 'vitest';
import { evaluateGates, missingCheckInDays } from '../../src/core/gates.js';
import type { DeploymentRecord } from '../../src/core/record.js';
import { renderSignoffDocument } from '../../src/reports/signoff-doc.js';
import { act, newRecord, plan, policy, refusal, t0 } from '../helpers/records.js';

/** Issue 16 "No shortcut past a rule": separation of duties, first-week check-ins, training, closing records. */
const hours = (h: number) => new Date(t0.getTime() + h * 3_600_000);

describe('separation of duties: whoever wrote or revised the plan never approves it', () => {
  const revisedBy = (who: string) =>
    act(newRecord(), 'revise-plan', { plan: plan({ clientName: 'ACME Group' }) }, who);

  it.each([
    ['the author', (r: DeploymentRecord) => ({ ...r, author: 'dual' }), 'wrote'],
    ['a reviser holding both roles', () => revisedBy('dual'), 'revised'],
  ])('%s is refused, as a security refusal', (_name, make, verb) => {
    const e = refusal(() => act(make(newRecord()), 'approve', {}, 'dual'));
    expect(e.message).toBe(`dual ${verb} this plan and may not approve it (separation of duties)`);
    expect(e.security).toBe(true);
  });

  it('a deployment manager who neither wrote nor revised it approves', () => {
    const r = act(revisedBy('dual'), 'approve', {}, 'dave');
    expect(r.state).toBe('approved');
    expect(r.revisedBy).toEqual(['dual']);
  });

  it('a revision after approval keeps the reviser out of the next approval too', () => {
    let r = act(newRecord(), 'approve', {}, 'dave');
    r = act(r, 'revise-plan', { plan: plan({ clientName: 'ACME Group' }) }, 'dual');
    expect(r.state).toBe('submitted');
    expect(refusal(() => act(r, 'approve', {}, 'dual')).message).toContain('revised this plan');
  });
});

describe('first-week check-ins: one on each of the 7 days after go-live', () => {
  const support = (offsets: number[]) => ({
    hypercareStart: t0.toISOString(),
    hypercareDays: 14,
    feedback: [],
    checkIns: offsets.map((h) => ({ at: hours(h).toISOString(), by: 'carla', summary: 'ok', source: 'manual' as const })),
  });
  const days7 = [1, 25, 49, 73, 97, 121, 145];

  it.each([
    ['one each day', days7, 24 * 14, []],
    ['week 2 does not stand in for day 3', [1, 25, 73, 97, 121, 145, 24 * 9, 24 * 10], 24 * 14, [2]],
    ['two on day 1 do not cover day 2', [1, 2, 49, 73, 97, 121, 145], 24 * 14, [1]],
    ['a day not yet over is not due', [1, 25], 24 * 2 + 3, []],
    ['a day over with none is due', [1], 24 * 2 + 3, [1]],
  ])('%s', (_name, offsets, nowHours, missing) => {
    expect(missingCheckInDays(support(offsets), policy.support.dailyCheckInDays, hours(nowHours))).toEqual(
      missing,
    );
  });

  it('the gate names the missing day and its date', () => {
    const r = { ...newRecord(), state: 'live' as const, support: support([1, 25, 73, 97, 121, 145, 24 * 9]) };
    const gate = evaluateGates(r, 'closed', { policy, now: hours(24 * 15) }).open.find(
      (g) => g.gate === 'daily-check-ins',
    );
    expect(gate?.message).toBe(
      'no check-in on day 3 (2026-12-03): the first 7 days after go-live need one each',
    );
  });
});

describe('training: durations outside the policy range need a reason; no held date in the future', () => {
  function planned(session: string) {
    const r = { ...newRecord(), state: 'awaiting-signoff' as const };
    return act(r, 'training-plan', { session, plannedAt: t0.toISOString() }, 'carla');
  }
  const held = (hoursHeld: number, extra: Record<string, unknown> = {}) => ({
    id: 1,
    heldAt: t0.toISOString(),
    durationHours: hoursHeld,
    attendees: ['Jane'],
    ...extra,
  });

  it.each([
    ['admin', 1.5, 'Admin training lasted 1.5 h; the policy plans 2-4 h'],
    ['admin', 5, 'Admin training lasted 5 h; the policy plans 2-4 h'],
    ['user', 0.5, 'User training lasted 0.5 h; the policy plans 1-2 h'],
    ['user', 3, 'User training lasted 3 h; the policy plans 1-2 h'],
  ])('%s for %s h without a reason is refused', (session, h, message) => {
    const e = refusal(() => act(planned(session), 'training-held', held(h), 'carla'));
    expect(e.message).toContain(message);
    expect(e.fix).toContain('--reason');
  });

  it.each([
    ['admin', 2],
    ['admin', 4],
    ['user', 1],
    ['user', 2],
  ])('%s for %s h (inside the range) needs no reason', (session, h) => {
    expect(act(planned(session), 'training-held', held(h), 'carla').trainings[0]?.heldAt).toBe(t0.toISOString());
  });

  it('outside the range with a reason is recorded with the reason', () => {
    const r = act(planned('admin'), 'training-held', held(1.5, { durationReason: 'two admins only' }), 'carla');
    expect(r.trainings[0]?.durationReason).toBe('two admins only');
  });

  it('a held date in the future is refused', () => {
    const future = { ...held(2), heldAt: hours(48).toISOString() };
    expect(refusal(() => act(planned('admin'), 'training-held', future, 'carla')).message).toContain('future');
  });
});

describe('close: the deployment report generated and the knowledge base updated, besides lessons', () => {
  const live = (): DeploymentRecord => ({
    ...newRecord(),
    state: 'live',
    satisfaction: { score: 5, by: 'carla', at: t0.toISOString() },
    lessons: [{ at: t0.toISOString(), by: 'tina', text: 'x', tags: [] }],
    support: {
      hypercareStart: t0.toISOString(),
      hypercareDays: 7,
      feedback: [],
      checkIns: Array.from({ length: 7 }, (_, d) => ({
        at: hours(24 * d + 1).toISOString(),
        by: 'carla',
        summary: 'ok',
        source: 'manual' as const,
      })),
    },
  });
  const after = hours(24 * 8);
  const pdf = { kind: 'file' as const, name: 'acme-deployment.pdf', sha256: 'b'.repeat(64), size: 3 };
  const gatesOf = (r: DeploymentRecord) => evaluateGates(r, 'closed', { policy, now: after }).open.map((g) => g.gate);

  it('names both when neither is on record, with a fix naming a real command', () => {
    const open = evaluateGates(live(), 'closed', { policy, now: after }).open;
    expect(open.map((g) => g.gate)).toEqual(['deployment-report', 'knowledge-base']);
    expect(open[0]!.fix).toBe('generate it: mokodeploy report acme-2026-12 deployment --as <login>');
    expect(open[1]!.fix).toBe('record the update with a link or file: mokodeploy knowledge-base acme-2026-12 --link URL');
  });

  it('closes once the report is recorded and the knowledge-base update has a link', () => {
    let r = act(live(), 'record-document', { kind: 'deployment', evidence: [pdf] }, 'tina', after);
    expect(gatesOf(r)).toEqual(['knowledge-base']);
    r = act(r, 'knowledge-base', { evidence: [{ kind: 'link', url: 'https://kb.example/acme' }] }, 'dave', after);
    expect(act(r, 'close', {}, 'dave', after).state).toBe('closed');
    const doc = renderSignoffDocument(r, policy, after);
    expect(doc).toContain(`<td>Deployment report completed</td><td>generated by tina on ${after.toISOString()}</td>`);
    expect(doc).toContain(`<td>Knowledge base updated</td><td>updated by dave on ${after.toISOString()}</td>`);
  });

  it('a note alone is not a knowledge-base update; a handoff pack is not the deployment report', () => {
    expect(
      refusal(() => act(live(), 'knowledge-base', { evidence: [{ kind: 'text', text: 'done' }] }, 'dave')).kind,
    ).toBe('input');
    const r = act(live(), 'record-document', { kind: 'handoff', evidence: [pdf] }, 'tina', after);
    expect(gatesOf(r)).toContain('deployment-report');
  });
});
