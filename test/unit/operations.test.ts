import { describe, expect, it } from 'vitest';
import { act, newRecord, plan, readyRecord, t0, refusal } from '../helpers/records.js';

describe('separation of duties and roles', () => {
  it("a plan's author never approves it, even holding the deployment manager role", () => {
    const r = { ...newRecord(), author: 'dual' };
    const e = refusal(() => act(r, 'approve', {}, 'dual'));
    expect(e.message).toContain('separation of duties');
    expect(e.security).toBe(true);
  });

  it('only a deployment manager approves', () => {
    const e = refusal(() => act(newRecord(), 'approve', {}, 'tom'));
    expect(e.message).toMatch(/may not do plan.approve: that needs the role deployment-manager/);
  });

  it('a checklist item is ticked by its own role, with evidence', () => {
    const r = act(newRecord(), 'approve', {}, 'dave');
    expect(
      refusal(() =>
        act(r, 'tick', { item: 'security-scan', evidence: [{ kind: 'text', text: 'ok' }] }, 'tina'),
      ).message,
    ).toContain('ticked by a qa');
    expect(
      refusal(() => act(r, 'tick', { item: 'security-scan', evidence: [] }, 'quinn')).details.join(),
    ).toContain('a tick needs evidence');
    expect(
      refusal(() =>
        act(r, 'tick', { item: 'plan-approved', evidence: [{ kind: 'text', text: 'x' }] }, 'dave'),
      ).message,
    ).toContain('ticked by the approval');
  });

  it('an unknown item is named with the list of items', () => {
    const e = refusal(() =>
      act(newRecord(), 'tick', { item: 'coffee', evidence: [{ kind: 'text', text: 'x' }] }, 'quinn'),
    );
    expect(e.kind).toBe('not-found');
    expect(e.fix).toContain('security-scan');
  });

  it('un-ticking is recorded with its reason', () => {
    let r = act(
      newRecord(),
      'tick',
      { item: 'security-scan', evidence: [{ kind: 'text', text: 'scan ok' }] },
      'quinn',
    );
    r = act(r, 'untick', { item: 'security-scan', reason: 'scan was of the wrong host' }, 'quinn');
    const entry = r.checklist['security-scan']!;
    expect(entry.ticked).toBe(false);
    expect(entry.history.map((h) => h.action)).toEqual(['tick', 'untick']);
    expect(entry.history[1]!.note).toBe('scan was of the wrong host');
  });
});

describe('plan revision', () => {
  it('voids the approval and sends an approved deployment back to submitted', () => {
    const approved = act(newRecord(), 'approve', {}, 'dave');
    const warnings: string[] = [];
    const revised = act(
      approved,
      'revise-plan',
      { plan: plan({ clientName: 'ACME Group' }) },
      'tina',
      t0,
      warnings,
    );
    expect(revised.state).toBe('submitted');
    expect(revised.checklist['plan-approved']?.ticked).toBe(false);
    expect(revised.planHash).not.toBe(approved.planHash);
    expect(warnings.join()).toContain('approved again');
    const again = act(revised, 'approve', {}, 'dave');
    expect(again.approval?.planHash).toBe(revised.planHash);
  });

  it('refuses a plan for another client', () => {
    const e = refusal(() => act(newRecord(), 'revise-plan', { plan: plan({ client: 'other' }) }, 'tina'));
    expect(e.message).toContain('client "other"');
  });
});

describe('schedule', () => {
  it('warns when the window falls inside business hours', () => {
    const warnings: string[] = [];
    act(
      readyRecord(),
      'schedule',
      { clientApprovedBy: 'Jane', start: '2026-12-07T10:00:00+01:00', end: '2026-12-07T11:00:00+01:00' },
      'dave',
      t0,
      warnings,
    );
    expect(warnings.join()).toContain('inside business hours');
  });

  it('does not warn for an evening window', () => {
    const warnings: string[] = [];
    const r = act(readyRecord(), 'schedule', { clientApprovedBy: 'Jane' }, 'dave', t0, warnings);
    expect(r.state).toBe('scheduled');
    expect(warnings).toEqual([]);
  });
});

describe('rollback and a new attempt', () => {
  it('needs a known trigger, then a root cause before a new attempt', () => {
    let r = act(readyRecord(), 'schedule', { clientApprovedBy: 'Jane' }, 'dave');
    r = act(r, 'start-run', {}, 'tina');
    expect(refusal(() => act(r, 'rollback', { trigger: 'bored', reason: 'x' }, 'tina')).fix).toContain(
      'data-integrity',
    );
    r = act(r, 'rollback', { trigger: 'critical-functionality', reason: 'login broken' }, 'tina');
    expect(r.state).toBe('rolled-back');
    expect(refusal(() => act(r, 'retry', {}, 'dave')).details.join()).toContain('[root-cause]');
    r = act(
      r,
      'rollback-analysis',
      { rootCause: 'missing php-intl', remediation: 'add to validation' },
      'tina',
    );
    r = act(r, 'retry', {}, 'dave');
    expect(r.state).toBe('approved');
    expect(r.rollbacks[0]?.fromState).toBe('deploying');
  });
});

describe('cancellation and satisfaction', () => {
  it('cancels only before a run starts, with a reason', () => {
    expect(act(newRecord(), 'cancel', { reason: 'client postponed' }, 'dave').cancellation?.reason).toBe(
      'client postponed',
    );
    expect(refusal(() => act(newRecord(), 'cancel', { reason: '' }, 'dave')).kind).toBe('input');
  });

  it('satisfaction is a whole number on the policy scale', () => {
    expect(refusal(() => act(newRecord(), 'satisfaction', { score: 6 }, 'carla')).message).toContain(
      'from 1 to 5',
    );
    expect(act(newRecord(), 'satisfaction', { score: 4 }, 'carla').satisfaction?.score).toBe(4);
  });
});
