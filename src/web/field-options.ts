import type { Policy } from '../policy/types.js';
import type { DeploymentRecord } from '../core/record.js';
import { requiredChecklistItems } from '../core/required-items.js';

/** Where a select's choices come from: the policy's lists, or what the record has to act on. */
export type OptionSource =
  | 'severity'
  | 'training-sessions'
  | 'planned-trainings'
  | 'rollback-triggers'
  | 'ticked-items'
  | 'open-issues'
  | 'satisfaction'
  | 'client-confirmations';

export interface Option {
  value: string;
  label: string;
}

/** The choices of a select (never pre-chosen: the form starts at "choose…"). */
export function optionsOf(source: OptionSource, r: DeploymentRecord, policy: Policy): Option[] {
  switch (source) {
    case 'severity':
      return ['critical', 'major', 'minor'].map((s) => ({ value: s, label: s }));
    case 'training-sessions':
      return policy.training.sessions.map((s) => ({
        value: s.id,
        label: s.minHours ? `${s.label} (${s.minHours}-${s.maxHours} h)` : s.label,
      }));
    case 'planned-trainings':
      return r.trainings
        .filter((t) => !t.heldAt)
        .map((t) => ({
          value: String(t.id),
          label: `#${t.id} ${policy.training.sessions.find((s) => s.id === t.session)?.label ?? t.session}, planned ${t.plannedAt.slice(0, 16).replace('T', ' ')}`,
        }));
    case 'rollback-triggers':
      return policy.rollback.triggers.map((t) => ({
        value: t.id,
        label: `${t.label}${t.critical ? ' (critical: an emergency)' : ''}`,
      }));
    case 'ticked-items':
      return requiredChecklistItems(policy, r.plan)
        .filter((i) => r.checklist[i.id]?.ticked && !i.auto)
        .map((i) => ({ value: i.id, label: i.label }));
    case 'open-issues':
      return r.issues
        .filter((i) => !i.resolvedAt)
        .map((i) => ({ value: String(i.id), label: `#${i.id} ${i.title} (${i.severity})` }));
    case 'satisfaction': {
      const { min, max } = policy.metrics.satisfactionScale;
      return Array.from({ length: max - min + 1 }, (_, n) => ({
        value: String(min + n),
        label: String(min + n),
      }));
    }
    case 'client-confirmations':
      return (policy.signoffs.kinds.find((k) => k.id === 'client')?.items ?? []).map((i) => ({
        value: i.id,
        label: i.label,
      }));
  }
}
