import { planSchema, type Plan, type PlanInput } from '../../../src/core/plan.js';
import { createDeployment } from '../../../src/core/create.js';
import type { DeploymentRecord } from '../../../src/core/record.js';
import { requiredChecklistItems } from '../../../src/core/required-items.js';
import { act, passingValidation, people, policy } from '../records.js';

/**
 * A deployment record for a real test site, walked to 'verifying' (approved, checklist done, validation
 * passed, ready, scheduled in a window around `now`, one successful run), by the people of test/helpers/records.
 */
const byRole: Record<string, string> = {
  'technical-lead': 'tina',
  qa: 'quinn',
  'client-success-manager': 'carla',
  'deployment-manager': 'dave',
};

export function recordPlan(plan: Plan, overrides: Partial<PlanInput> = {}, now = new Date()): Plan {
  const window = {
    start: new Date(now.getTime() - 3_600_000).toISOString(),
    end: new Date(now.getTime() + 3 * 3_600_000).toISOString(),
    timezone: 'UTC',
  };
  return planSchema.parse({
    ...plan,
    id: 'acme-2026-11',
    window,
    people: {
      'technical-lead': 'tina',
      'deployment-manager': 'dave',
      'client-success-manager': 'carla',
      qa: 'quinn',
    },
    ...overrides,
  });
}

export function verifyingRecord(plan: Plan, now = new Date()): DeploymentRecord {
  let r = createDeployment(plan, { policy, actor: people.tina!, now, submit: true });
  r = act(r, 'approve', {}, 'dave', now);
  for (const item of requiredChecklistItems(policy, plan).filter(
    (i) => i.auto !== 'approval' && i.auto !== 'validation',
  )) {
    r = act(
      r,
      'tick',
      { item: item.id, evidence: [{ kind: 'text', text: `${item.id} done` }] },
      byRole[item.role]!,
      now,
    );
  }
  r = act(r, 'record-validation', passingValidation(now), 'quinn', now);
  r = act(r, 'ready', {}, 'tina', now);
  r = act(r, 'schedule', { clientApprovedBy: 'Jane Client' }, 'dave', now);
  r = act(r, 'start-run', {}, 'tina', now);
  return act(r, 'finish-run', { outcome: 'succeeded', durationSeconds: 95, downtimeSeconds: 0 }, 'tina', now);
}

/** The same deployment taken live: verification recorded by hand as passed, training, handoff, three sign-offs. */
export function liveRecord(plan: Plan, now = new Date()): DeploymentRecord {
  let r = verifyingRecord(plan, now);
  const v = policy.verification;
  const results = [...v.functional, ...v.security, ...v.performance]
    .filter((i) => !i.optional)
    .map((i) => ({ id: i.id, status: 'pass' as const, observed: i.maxSeconds ? 'p95 0.8 s' : 'checked by QA' }));
  r = act(r, 'record-verification', { source: 'manual', results }, 'quinn', now);
  r = act(r, 'signoff', { kind: 'technical', evidence: [] }, 'tina', now);
  r = act(r, 'signoff', { kind: 'go-live', evidence: [] }, 'dave', now);
  for (const [i, session] of ['admin', 'user'].entries()) {
    r = act(r, 'training-plan', { session, plannedAt: now.toISOString() }, 'carla', now);
    r = act(
      r,
      'training-held',
      {
        id: i + 1,
        heldAt: now.toISOString(),
        durationHours: session === 'admin' ? 3 : 1.5,
        attendees: ['Jane Client'],
      },
      'carla',
      now,
    );
  }
  r = act(
    r,
    'handoff-deliver',
    { evidence: [{ kind: 'link', url: 'https://files.acme.test/handoff-pack.pdf' }] },
    'carla',
    now,
  );
  const items = policy.signoffs.kinds.find((k) => k.id === 'client')?.items ?? [];
  r = act(
    r,
    'signoff',
    {
      kind: 'client',
      signatory: 'Jane Client, CEO',
      evidence: [],
      confirmations: items.map((i) => ({ item: i.id, signatory: 'Jane Client, CEO' })),
    },
    'carla',
    now,
  );
  return act(r, 'go-live', {}, 'dave', now);
}
