import { describe, expect, it } from 'vitest';
import { evaluateGates } from '../../src/core/gates.js';
import {
  act,
  allVerificationResults,
  newRecord,
  passingValidation,
  policy,
  readyRecord,
  t0,
  refusal,
} from '../helpers/records.js';

const hours = (h: number) => new Date(t0.getTime() + h * 3_600_000);

describe('gate: ready', () => {
  it('names every unticked mandatory item and the missing validation, with section and fix', () => {
    const r = act(newRecord(), 'approve', {}, 'dave');
    const { open } = evaluateGates(r, 'ready', { policy, now: t0 });
    const gates = open.map((g) => g.gate);
    expect(gates).toContain('checklist:security-scan');
    expect(gates).toContain('validation');
    expect(gates).not.toContain('checklist:plan-approved');
    const scan = open.find((g) => g.gate === 'checklist:security-scan')!;
    expect(scan.section).toBe('Pre-Deployment Requirements / Deployment Checklist');
    expect(scan.fix).toContain('mokodeploy tick acme-2026-12 security-scan');
  });

  it('opens when everything is done and validation is fresh', () => {
    expect(readyRecord().state).toBe('ready');
  });

  it('refuses a validation older than the policy limit', () => {
    const r = act(newRecord(), 'approve', {}, 'dave');
    const stale = { ...r, validations: [passingValidation(t0)] };
    const limit = policy.environment.validationMaxAgeHours;
    expect(
      evaluateGates(stale, 'ready', { policy, now: hours(limit - 1) }).open.map((g) => g.gate),
    ).not.toContain('validation-fresh');
    expect(
      evaluateGates(stale, 'ready', { policy, now: hours(limit + 1) }).open.map((g) => g.gate),
    ).toContain('validation-fresh');
  });

  it('a failing finding keeps the gate closed and names the check', () => {
    const r = act(newRecord(), 'approve', {}, 'dave');
    const report = passingValidation(t0);
    report.findings.push({
      checkId: 'disk',
      title: 'Free disk',
      status: 'fail',
      observed: '3 GB',
      threshold: '>= 20 GB',
      policyRef: 'env.server.disk',
      remediation: 'free or add disk',
    });
    report.worst = 'fail';
    const withFail = act(r, 'record-validation', report, 'quinn');
    expect(withFail.checklist['environment-confirmed']?.ticked).toBe(false);
    const gate = evaluateGates(withFail, 'ready', { policy, now: t0 }).open.find(
      (g) => g.gate === 'validation:disk',
    );
    expect(gate?.message).toContain('observed 3 GB, required >= 20 GB');
    expect(gate?.fix).toContain('free or add disk');
  });

  it('asks upgrades for a verified backup, new installs not', () => {
    const upgrade = act(newRecord({ kind: 'upgrade' }), 'approve', {}, 'dave');
    expect(evaluateGates(upgrade, 'ready', { policy, now: t0 }).open.map((g) => g.gate)).toContain(
      'backup-verified',
    );
    const fresh = act(newRecord(), 'approve', {}, 'dave');
    expect(evaluateGates(fresh, 'ready', { policy, now: t0 }).open.map((g) => g.gate)).not.toContain(
      'backup-verified',
    );
  });

  it('adds the customization review when the plan has custom modules', () => {
    const r = act(
      newRecord({ customModules: [{ name: 'mokoinvoice', source: '/srv/mokoinvoice' }] }),
      'approve',
      {},
      'dave',
    );
    expect(evaluateGates(r, 'ready', { policy, now: t0 }).open.map((g) => g.gate)).toContain(
      'checklist:code-review',
    );
  });

  it('reports gates as not applicable for staging instead of skipping them', () => {
    const r = act(newRecord({ environment: 'staging' }), 'approve', {}, 'dave');
    const report = evaluateGates(r, 'ready', { policy, now: t0 });
    expect(report.open).toEqual([]);
    expect(report.notApplicable.map((g) => g.gate)).toContain('validation');
    const warnings: string[] = [];
    const moved = act(r, 'ready', {}, 'tina', t0, warnings);
    expect(moved.state).toBe('ready');
    expect(warnings.some((w) => w.startsWith('not applicable (staging)'))).toBe(true);
  });
});

describe('gate: deploying re-checks validation freshness', () => {
  it('refuses to start a run when the validation expired after ready', () => {
    const r = act(readyRecord(), 'schedule', { clientApprovedBy: 'Jane Client' }, 'dave');
    const late = hours(policy.environment.validationMaxAgeHours + 1);
    const e = refusal(() => act(r, 'start-run', {}, 'tina', late));
    expect(e.details.join('\n')).toContain('[validation-fresh]');
  });
});

describe('gate: live and closed', () => {
  function awaitingSignoff() {
    let r = act(readyRecord(), 'schedule', { clientApprovedBy: 'Jane Client' }, 'dave');
    r = act(r, 'start-run', {}, 'tina');
    r = act(r, 'finish-run', { outcome: 'succeeded', durationSeconds: 600, downtimeSeconds: 2 }, 'tina');
    return act(r, 'record-verification', { source: 'automated', results: allVerificationResults() }, 'quinn');
  }

  it('the technical sign-off needs every verification item passed', () => {
    let r = act(readyRecord(), 'schedule', { clientApprovedBy: 'Jane Client' }, 'dave');
    r = act(r, 'start-run', {}, 'tina');
    r = act(r, 'finish-run', { outcome: 'succeeded', durationSeconds: 600 }, 'tina');
    const results = allVerificationResults();
    results[0] = { id: results[0]!.id, status: 'fail' };
    r = act(r, 'record-verification', { source: 'automated', results }, 'quinn');
    const e = refusal(() => act(r, 'signoff', { kind: 'technical' }, 'tina'));
    expect(e.details.join()).toContain('verify.login');
  });

  it('go-live needs the technical, go-live and client sign-offs in order, by the right roles', () => {
    let r = awaitingSignoff();
    expect(refusal(() => act(r, 'go-live', {}, 'dave')).details.join()).toContain('signoff:technical');
    expect(refusal(() => act(r, 'signoff', { kind: 'go-live' }, 'dave')).details.join()).toContain(
      'technical sign-off comes first',
    );
    expect(refusal(() => act(r, 'signoff', { kind: 'technical' }, 'quinn')).message).toContain(
      'given by a technical-lead',
    );
    r = act(r, 'signoff', { kind: 'technical' }, 'tina');
    r = act(r, 'signoff', { kind: 'go-live' }, 'dave');
    const client = refusal(() => act(r, 'signoff', { kind: 'client', signatory: 'Jane' }, 'carla'));
    expect(client.details.join()).toContain('handoff pack is not delivered');
    expect(client.details.join()).toContain('Admin training not held');
    r = act(
      r,
      'handoff-deliver',
      { evidence: [{ kind: 'link', url: 'https://docs.example/acme' }] },
      'carla',
    );
    for (const session of ['admin', 'user']) {
      r = act(r, 'training-plan', { session, plannedAt: t0.toISOString() }, 'carla');
      r = act(
        r,
        'training-held',
        { id: r.trainings.at(-1)!.id, heldAt: t0.toISOString(), durationHours: 2, attendees: ['Jane'] },
        'carla',
      );
    }
    // policy "Client Sign-Off": each item confirmed explicitly (issue 16), here by the named signatory
    const confirmations = policy.signoffs.kinds
      .find((k) => k.id === 'client')!
      .items!.map((i) => ({ item: i.id, signatory: 'Jane, CEO' }));
    r = act(r, 'signoff', { kind: 'client', signatory: 'Jane, CEO', confirmations }, 'carla');
    r = act(r, 'go-live', {}, 'dave');
    expect(r.state).toBe('live');
    expect(r.support?.hypercareDays).toBe(policy.support.hypercareDays.min);
  });

  it('closing needs hypercare over, daily check-ins, resolved issues, satisfaction, lessons, the report and the knowledge base', () => {
    let r = awaitingSignoff();
    r = {
      ...r,
      signoffs: ['technical', 'go-live', 'client'].map((kind) => ({
        kind: kind as never,
        stamp: { by: 'x', role: 'qa' as const, at: t0.toISOString() },
        evidence: [],
      })),
    };
    r = act(r, 'go-live', {}, 'dave');
    r = act(r, 'issue-open', { title: 'slow report' }, 'quinn');
    const early = refusal(() => act(r, 'close', {}, 'dave', hours(24)));
    const gates = early.details.join('\n');
    for (const g of [
      '[hypercare]',
      '[daily-check-ins]',
      '[issues-resolved]',
      '[satisfaction]',
      '[lessons-learned]',
      '[deployment-report]',
      '[knowledge-base]',
    ])
      expect(gates).toContain(g);
    for (let day = 0; day < policy.support.dailyCheckInDays; day++)
      r = act(r, 'support-checkin', { summary: `day ${day}` }, 'carla', hours(24 * day + 1));
    r = act(r, 'issue-resolve', { id: 1, resolution: 'index added' }, 'tina', hours(30));
    r = act(r, 'satisfaction', { score: 5 }, 'carla', hours(30));
    r = act(r, 'lesson', { text: 'index the report tables', tags: ['performance'] }, 'tina', hours(30));
    const pdf = { kind: 'file' as const, name: 'acme-deployment.pdf', sha256: 'a'.repeat(64), size: 10 };
    r = act(r, 'record-document', { kind: 'deployment', evidence: [pdf] }, 'tina', hours(31));
    r = act(r, 'knowledge-base', { evidence: [{ kind: 'link', url: 'https://kb.example/acme' }] }, 'dave', hours(31));
    r = act(r, 'close', {}, 'dave', hours(24 * policy.support.hypercareDays.min + 1));
    expect(r.state).toBe('closed');
  });
});
