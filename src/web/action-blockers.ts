import type { Policy } from '../policy/types.js';
import type { DeploymentRecord, State } from '../core/record.js';
import type { Actor } from '../core/team.js';
import { evaluateGates, unpassedVerificationItems } from '../core/gates.js';
import { requiredVerificationItems } from '../core/required-items.js';
import type { ActionForm } from './action-forms.js';

/** The state an action form moves the record into (its gates must be closed first). */
const targetOf: Record<string, State> = {
  ready: 'ready',
  schedule: 'scheduled',
  'go-live': 'live',
  close: 'closed',
  retry: 'approved',
};

/** Gates an action closes by itself (scheduling is what approves the window). */
const closesItself: Record<string, string[]> = { schedule: ['window'] };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Why this action's button cannot work now, in plain words, or nothing when it can: the gates into its
 * state, separation of duties, and what each sign-off needs first. The core checks all of it again.
 */
export function blockerOf(
  a: ActionForm,
  r: DeploymentRecord,
  ctx: { policy: Policy; now: Date; user: Actor },
): string | undefined {
  const { policy, now, user } = ctx;
  if (a.key === 'approve' && (r.author === user.login || (r.revisedBy ?? []).includes(user.login)))
    return 'you wrote or revised this plan: another deployment manager approves it';
  const to = targetOf[a.key];
  if (to) {
    const open = evaluateGates(r, to, { policy, now }).open.filter(
      (g) => !(closesItself[a.key] ?? []).includes(g.gate),
    );
    if (open.length > 0) return `${plural(open.length, 'gate')} still open (listed under “What is next”)`;
  }
  if (a.key === 'signoff-technical') {
    const missing = new Set(unpassedVerificationItems(r, policy));
    if (missing.size > 0) {
      const labels = requiredVerificationItems(policy)
        .filter((i) => missing.has(i.id))
        .map((i) => i.label);
      return `verification not passed yet: ${labels.join(', ')}`;
    }
  }
  if (a.key === 'signoff-go-live' && !r.signoffs.some((s) => s.kind === 'technical'))
    return 'the technical sign-off comes first';
  if (a.key === 'signoff-client') {
    const missing: string[] = [];
    if (!r.handoff) missing.push('the handoff pack is not delivered');
    for (const s of policy.training.sessions.filter((x) => x.required))
      if (!r.trainings.some((t) => t.session === s.id && t.heldAt)) missing.push(`${s.label} not held`);
    if (missing.length > 0) return missing.join('; ');
  }
  return undefined;
}
