import type { Policy } from '../policy/types.js';
import type { DeploymentRecord } from '../core/record.js';
import type { Actor } from '../core/team.js';
import { actionForms, type ActionForm } from './action-forms.js';
import { may } from './permissions.js';

/** The action forms this person may use on this record now: right state, right role, something to act on. */
export function visibleActions(record: DeploymentRecord, user: Actor, policy: Policy): ActionForm[] {
  return actionForms.filter((a) => {
    if (a.states !== 'any' && !a.states.includes(record.state)) return false;
    if (
      a.states === 'any' &&
      (record.state === 'closed' || record.state === 'cancelled') &&
      a.op !== 'lesson'
    )
      return false;
    if (!may(policy, user, a.permission)) return false;
    if (a.op === 'signoff' && record.signoffs.some((s) => a.key === `signoff-${s.kind}`)) return false;
    // recorded once: the after-go-live panel shows the value, the form does not come back (issue 21)
    if (a.key === 'handoff-deliver' && record.handoff) return false;
    if (a.key === 'satisfaction' && record.satisfaction) return false;
    if (a.key === 'knowledge-base' && (record.documents ?? []).some((d) => d.kind === 'knowledge-base'))
      return false;
    if (a.needs === 'open-issue' && !record.issues.some((i) => !i.resolvedAt)) return false;
    if (a.needs === 'planned-training' && !record.trainings.some((t) => !t.heldAt)) return false;
    return true;
  });
}
