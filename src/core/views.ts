import type { Policy } from '../policy/types.js';
import type { DeploymentRecord } from './record.js';
import { evaluateGates } from './gates.js';
import { requiredChecklistItems } from './required-items.js';
import { nextStates } from './transitions.js';

/** Read-side views the CLI and the HTTP API both answer with (`status`, `checklist`). Pure. */
export function statusView(record: DeploymentRecord, ctx: { policy: Policy; now: Date }) {
  return {
    id: record.id,
    state: record.state,
    next: nextStates(record.state).map((to) => ({ to, ...evaluateGates(record, to, ctx) })),
  };
}

export function checklistView(policy: Policy, record: DeploymentRecord) {
  return requiredChecklistItems(policy, record.plan).map((i) => {
    const e = record.checklist[i.id];
    return {
      id: i.id,
      label: i.label,
      role: i.role,
      section: i.section,
      auto: i.auto,
      done: Boolean(e?.ticked),
      by: e?.stamp?.by,
      at: e?.stamp?.at,
      evidence: e?.evidence ?? [],
    };
  });
}
