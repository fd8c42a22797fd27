import { z } from 'zod';
import { defineOperation } from '../operation.js';
import { transition } from '../transitions.js';
import { refused } from '../errors.js';
import { unpassedVerificationItems } from '../gates.js';
import { evidenceInput } from './evidence-input.js';
import type { DeploymentRecord, SignoffConfirmation } from '../record.js';
import type { Policy } from '../../policy/types.js';

/** What each sign-off requires before it can be given (policy "Deployment Sign-Off"). */
function signoffBlockers(
  kind: 'technical' | 'go-live' | 'client',
  r: DeploymentRecord,
  policy: Policy,
  confirmations: readonly SignoffConfirmation[] = [],
): string[] {
  if (kind === 'technical') {
    const missing = unpassedVerificationItems(r, policy);
    return missing.length > 0
      ? [`verification items not passed: ${missing.join(', ')} (run: mokodeploy verify ${r.id})`]
      : [];
  }
  if (kind === 'go-live') {
    return r.signoffs.some((s) => s.kind === 'technical') ? [] : ['the technical sign-off comes first'];
  }
  const blockers: string[] = unconfirmedItems(policy, confirmations).map(
    (i) =>
      `${i.label} is not confirmed: --confirm ${i.id} (by the named client signatory) or --confirm-link ${i.id}=URL / --confirm-file ${i.id}=PATH`,
  );
  if (!r.handoff) blockers.push(`the handoff pack is not delivered (mokodeploy handoff-deliver ${r.id} --file PACK)`);
  for (const session of policy.training.sessions.filter((s) => s.required)) {
    if (!r.trainings.some((t) => t.session === session.id && t.heldAt)) {
      blockers.push(`${session.label} not held (mokodeploy training held ${r.id} ...)`);
    }
  }
  return blockers;
}

/** Policy "Client Sign-Off": each item confirmed explicitly, by a named client signatory or with evidence. */
function unconfirmedItems(policy: Policy, confirmations: readonly SignoffConfirmation[]) {
  const items = policy.signoffs.kinds.find((k) => k.id === 'client')?.items ?? [];
  return items.filter(
    (i) => !confirmations.some((c) => c.item === i.id && (c.signatory?.trim() || c.evidence.length > 0)),
  );
}

const confirmationInput = z.strictObject({
  item: z.string().min(1),
  signatory: z.string().min(1).optional(),
  evidence: z.array(evidenceInput).default([]),
});

export const signoff = defineOperation({
  name: 'signoff',
  permission: 'checklist.tick',
  input: z.strictObject({
    kind: z.enum(['technical', 'go-live', 'client']),
    signatory: z.string().optional(),
    note: z.string().optional(),
    evidence: z.array(evidenceInput).default([]),
    confirmations: z.array(confirmationInput).default([]),
    /** Items the named `signatory` confirmed (the dashboard's form): the same as a confirmation each. */
    confirmed: z.array(z.string().min(1)).default([]),
  }),
  describe: (i) => `gave the ${i.kind} sign-off`,
  apply(record, input, ctx) {
    const def = ctx.policy.signoffs.kinds.find((k) => k.id === input.kind)!;
    const permission = `signoff.${input.kind}`;
    const allowed = ctx.policy.permissions[permission] ?? [];
    const role = ctx.actor.roles.find((r) => allowed.includes(r));
    if (!role) {
      throw refused(
        `${ctx.actor.login} may not give the ${def.label}: it is given by a ${allowed.join(' or ')}`,
        {
          fix: `act as a ${allowed.join(' or ')} (--as)`,
          security: true,
        },
      );
    }
    if (record.state !== 'awaiting-signoff') {
      throw refused(`${record.id} is ${record.state}: sign-offs are given while awaiting sign-off`);
    }
    if (record.signoffs.some((s) => s.kind === input.kind))
      throw refused(`the ${def.label} is already given`);
    if (input.kind === 'client' && !input.signatory) {
      throw refused('the client sign-off names the client signatory', { fix: '--signatory "Name, title"' });
    }
    const confirmations = [
      ...input.confirmations,
      ...input.confirmed.map((item) => ({ item, signatory: input.signatory, evidence: [] })),
    ];
    const known = def.items ?? [];
    const unknown = confirmations.filter((c) => !known.some((i) => i.id === c.item));
    if (unknown.length > 0) {
      throw refused(`the ${def.label} has no item ${unknown.map((c) => `"${c.item}"`).join(', ')}`, {
        fix: known.length ? `items: ${known.map((i) => i.id).join(', ')}` : 'it takes no item confirmations',
      });
    }
    const blockers = signoffBlockers(input.kind, record, ctx.policy, confirmations);
    if (blockers.length > 0) {
      throw refused(`the ${def.label} cannot be given yet (policy: ${ctx.policy.signoffs.section})`, {
        details: blockers,
      });
    }
    const entry = {
      kind: input.kind,
      stamp: { by: ctx.actor.login, role, at: ctx.now.toISOString() },
      signatory: input.signatory,
      note: input.note,
      evidence: input.evidence,
      ...(confirmations.length ? { confirmations } : {}),
    };
    return { ...record, signoffs: [...record.signoffs, entry] };
  },
});

/** Go-live: awaiting-signoff -> live, by a deployment manager; hypercare starts (policy "Support Transition"). */
export const goLive = defineOperation({
  name: 'go-live',
  permission: 'signoff.go-live',
  input: z.strictObject({ hypercareDays: z.number().int().positive().optional() }),
  describe: () => 'took the deployment live; hypercare started',
  apply(record, input, ctx) {
    const { min, max } = ctx.policy.support.hypercareDays;
    const days = input.hypercareDays ?? min;
    if (days < min || days > max)
      throw refused(`hypercare lasts ${min}-${max} days (policy); ${days} was asked`);
    const moved = transition(record, 'live', ctx);
    return {
      ...moved,
      support: { hypercareStart: ctx.now.toISOString(), hypercareDays: days, checkIns: [], feedback: [] },
    };
  },
});
