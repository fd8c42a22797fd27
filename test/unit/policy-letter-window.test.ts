import { describe, expect, it } from 'vitest';
import { rollbackIsEmergency, scheduleProblems, windowDecision } from '../../src/core/window.js';
import { parseReviewPeriod, periodReview } from '../../src/core/review.js';
import type { DeploymentRecord } from '../../src/core/record.js';
import { act, newRecord, policy, readyRecord, refusal, t0 } from '../helpers/records.js';

/** Issue 16 "The approved window" and review periods. The plan's window: 2026-12-05 20:00-23:00 UTC. */
const at = (iso: string) => new Date(iso);
const scheduled = (environment: 'production' | 'staging' = 'production'): DeploymentRecord => {
  const r = environment === 'production' ? readyRecord() : act(newRecord({ environment }), 'approve', {}, 'dave');
  return environment === 'production'
    ? act(r, 'schedule', { clientApprovedBy: 'Jane' }, 'dave')
    : { ...r, schedule: { start: '2026-12-05T20:00:00Z', end: '2026-12-05T23:00:00Z', clientApprovedBy: 'Jane', stamp: { by: 'dave', role: 'deployment-manager', at: t0.toISOString() }, warnings: [] } };
};

describe('windowDecision: production changes only inside the approved window', () => {
  it.each([
    ['before the window', '2026-12-05T19:59:00Z', false],
    ['at its start', '2026-12-05T20:00:00Z', true],
    ['inside', '2026-12-05T21:30:00Z', true],
    ['at its end', '2026-12-05T23:00:00Z', true],
    ['after it', '2026-12-05T23:01:00Z', false],
  ])('%s (%s): allowed %s', (_name, now, allowed) => {
    expect(windowDecision(scheduled(), policy, at(now), { command: 'deploy' }).allowed).toBe(allowed);
  });

  it('the refusal gives the window, its time zone and the time now, and the exception command', () => {
    const d = windowDecision(scheduled(), policy, at('2026-12-04T10:00:00Z'), { command: 'upgrade' });
    expect(d).toEqual({
      allowed: false,
      message:
        'upgrade of acme-2026-12 is refused outside the approved window 2026-12-05T20:00:00Z - 2026-12-05T23:00:00Z (Europe/Paris); now is 2026-12-04T10:00:00.000Z',
      fix: 'wait for the window, or a deployment manager records an exception: mokodeploy window-exception acme-2026-12 --reason "..." (--start ISO --end ISO | --emergency)',
    });
  });

  it('a rollback on a critical trigger is an emergency; on a non-critical one it keeps to the window', () => {
    expect(rollbackIsEmergency(policy, 'data-integrity')).toBe(true);
    expect(rollbackIsEmergency(policy, 'client-request')).toBe(false);
    const now = at('2026-12-07T10:00:00Z');
    expect(windowDecision(scheduled(), policy, now, { command: 'rollback', emergency: true }).allowed).toBe(true);
    expect(windowDecision(scheduled(), policy, now, { command: 'rollback', emergency: false }).allowed).toBe(false);
  });

  it('before the deployment is scheduled (pre-deployment validation, e.g. the sample migration) there is no window yet', () => {
    const cancelled = act(act(readyRecord(), 'cancel', { reason: 'x' }, 'dave'), 'lesson', { text: 'x' }, 'tina');
    expect(windowDecision(readyRecord(), policy, at('2026-12-02T10:00:00Z'), { command: 'migrate run' })).toEqual({
      allowed: true,
      via: 'pre-deployment',
    });
    expect(windowDecision(cancelled, policy, at('2026-12-02T10:00:00Z'), { command: 'migrate run' }).allowed).toBe(false);
  });

  it('out of the policy scope (staging) it is allowed with a note saying so', () => {
    const d = windowDecision(scheduled('staging'), policy, at('2026-12-07T10:00:00Z'), { command: 'deploy' });
    expect(d).toMatchObject({ allowed: true, via: 'not-applicable' });
    expect(d.allowed && d.note).toContain('not applicable (staging): deploy outside the approved window');
  });
});

describe('window exceptions: a new window or an emergency, by a deployment manager, audited on the record', () => {
  const now = at('2026-12-04T10:00:00Z');

  it('a new window lets the work run inside it only', () => {
    const r = act(
      scheduled(),
      'window-exception',
      { reason: 'client asked for Saturday', start: '2026-12-04T09:00:00Z', end: '2026-12-04T12:00:00Z' },
      'dave',
      now,
    );
    expect(r.windowExceptions).toEqual([
      { at: now.toISOString(), by: 'dave', reason: 'client asked for Saturday', emergency: false, start: '2026-12-04T09:00:00Z', end: '2026-12-04T12:00:00Z' },
    ]);
    expect(windowDecision(r, policy, now, { command: 'deploy' })).toMatchObject({ allowed: true, via: 'exception' });
    expect(windowDecision(r, policy, at('2026-12-04T12:30:00Z'), { command: 'deploy' }).allowed).toBe(false);
  });

  it(`an emergency holds for the policy's ${policy.procedures.window.emergencyExceptionHours} h from when it is recorded`, () => {
    const r = act(scheduled(), 'window-exception', { reason: 'security fix', emergency: true }, 'dave', now);
    const h = policy.procedures.window.emergencyExceptionHours;
    expect(windowDecision(r, policy, new Date(now.getTime() + (h - 1) * 3_600_000), { command: 'deploy' }).allowed).toBe(true);
    expect(windowDecision(r, policy, new Date(now.getTime() + (h + 1) * 3_600_000), { command: 'deploy' }).allowed).toBe(false);
  });

  it.each([
    ['a technical lead', { reason: 'x', emergency: true }, 'tina', /needs the role deployment-manager/],
    ['no reason', { reason: '', emergency: true }, 'dave', /say why/],
    ['both a window and emergency', { reason: 'x', emergency: true, start: '2026-12-04T09:00:00Z', end: '2026-12-04T12:00:00Z' }, 'dave', /either a new window/],
    ['neither', { reason: 'x' }, 'dave', /either a new window/],
    ['a window in the past', { reason: 'x', start: '2026-12-03T09:00:00Z', end: '2026-12-03T12:00:00Z' }, 'dave', /in the past/],
  ])('%s is refused', (_name, input, who, pattern) => {
    const e = refusal(() => act(scheduled(), 'window-exception', input, who, now));
    expect(`${e.message} ${e.details.join(' ')}`).toMatch(pattern);
  });
});

describe('schedule: a window in the past is refused, one less than 24 h ahead warns', () => {
  it.each([
    ['over', '2026-11-30T20:00:00Z', '2026-11-30T23:00:00Z', 'refused'],
    ['12 h ahead', '2026-12-01T21:00:00Z', '2026-12-01T23:00:00Z', 'warns'],
    ['begun, not over', '2026-12-01T08:00:00Z', '2026-12-01T23:00:00Z', 'warns'],
    ['4 days ahead', '2026-12-05T20:00:00Z', '2026-12-05T23:00:00Z', 'quiet'],
  ])('%s', (_name, start, end, outcome) => {
    const p = scheduleProblems(policy, { start, end }, t0);
    expect(Boolean(p.refusal)).toBe(outcome === 'refused');
    expect(p.warnings.length > 0).toBe(outcome === 'warns');
  });

  it('the operation refuses a past window for production and names the time now', () => {
    const e = refusal(() =>
      act(readyRecord(), 'schedule', { clientApprovedBy: 'Jane', start: '2026-11-30T20:00:00Z', end: '2026-11-30T23:00:00Z' }, 'dave'),
    );
    expect(e.message).toBe(
      'the window 2026-11-30T20:00:00Z - 2026-11-30T23:00:00Z is in the past (now 2026-12-01T09:00:00.000Z)',
    );
  });

  it('warns for a window 12 h ahead (policy "1-2 days before")', () => {
    const warnings: string[] = [];
    act(readyRecord(), 'schedule', { clientApprovedBy: 'Jane', start: '2026-12-01T21:00:00Z', end: '2026-12-01T23:00:00Z' }, 'dave', t0, warnings);
    expect(warnings).toContain(
      'the window starts in 12.0 h; the policy prepares 24 h or more before (Phase 1: 1-2 days before)',
    );
  });
});

describe('review periods: a month, a quarter or a year', () => {
  it.each([
    ['2026-11', 'month', ['2026-11']],
    ['2026-Q4', 'quarter', ['2026-10', '2026-11', '2026-12']],
    ['2026-q1', 'quarter', ['2026-01', '2026-02', '2026-03']],
    ['2026', 'year', Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`)],
  ])('%s', (text, kind, months) => {
    expect(parseReviewPeriod(text)).toMatchObject({ kind, months });
  });

  it.each(['2026-13', '2026-Q5', '26', 'november', '2026-11-01'])('"%s" is not a period', (text) => {
    expect(parseReviewPeriod(text)).toBeUndefined();
  });

  it('a quarter counts its months, gives the trend per month and the window exceptions', () => {
    const inMonth = (month: string, id: string): DeploymentRecord => ({
      ...newRecord({ id }),
      createdAt: `${month}-10T10:00:00Z`,
      windowExceptions: [{ at: `${month}-11T10:00:00Z`, by: 'dave', reason: `late ${id}`, emergency: true }],
    });
    const records = [inMonth('2026-10', 'a-1'), inMonth('2026-12', 'b-1'), inMonth('2026-12', 'b-2'), inMonth('2027-01', 'c-1')];
    const review = periodReview(records, parseReviewPeriod('2026-Q4')!);
    expect(review.deployments.map((d) => d.id)).toEqual(['a-1', 'b-1', 'b-2']);
    expect(review.totals?.deployments).toBe(3);
    expect(review.trend.map((m) => [m.month, m.deployments])).toEqual([['2026-10', 1], ['2026-12', 2]]);
    expect(review.windowExceptions.map((e) => e.reason)).toEqual(['late a-1', 'late b-1', 'late b-2']);
  });
});
