import type { Policy } from '../policy/types.js';
import type { DeploymentRecord } from '../core/record.js';
import type { OpenGate } from '../core/gates.js';
import { allChecklistItems } from '../core/required-items.js';

/** An open gate as something a person does: who (a policy role), in plain words, and where on the page. */
export interface GateAction {
  gate: string;
  role: string;
  words: string;
  /** An anchor on the deployment page (the form or the section that closes the gate); none for time. */
  href?: string;
}

/** The first role the policy allows for a permission: the one the gate waits for. */
export const roleOf = (policy: Policy, permission: string): string =>
  policy.permissions[permission]?.[0] ?? 'deployment-manager';

export const roleLabel = (policy: Policy, role: string): string =>
  policy.roles.find((r) => r.id === role)?.label ?? role;

function checklistAction(policy: Policy, r: DeploymentRecord, gate: string, id: string): GateAction {
  const item = allChecklistItems(policy).find((i) => i.id === id);
  const label = item?.label ?? id;
  if (item?.auto === 'approval')
    return { gate, role: roleOf(policy, 'plan.approve'), words: 'Approve the plan', href: '#act-approve' };
  if (item?.auto === 'validation')
    return {
      gate,
      role: item.role,
      words: 'Validate the target environment', // the same words as the validation gate: listed once
      href: '#validation-title',
    };
  if (item?.auto === 'backup')
    return {
      gate,
      role: item.role,
      words: `Take a test-restored backup (confirms “${label}”; run: mokodeploy backup ${r.id})`,
      href: `#item-${id}`,
    };
  return {
    gate,
    role: item?.role ?? 'technical-lead',
    words: `Tick “${label}” with its evidence`,
    href: `#item-${id}`,
  };
}

/** Map one open gate (src/core/gates.ts) to the action that closes it, with the labels of the policy. */
export function gateAction(policy: Policy, r: DeploymentRecord, g: OpenGate): GateAction {
  const gate = g.gate;
  if (gate.startsWith('checklist:')) return checklistAction(policy, r, gate, gate.slice('checklist:'.length));
  if (gate.startsWith('signoff:')) {
    const kind = policy.signoffs.kinds.find((k) => `signoff:${k.id}` === gate);
    return {
      gate,
      role: kind?.role ?? 'deployment-manager',
      words: `Give the ${kind?.label ?? gate.slice(8)}`,
      href: `#act-signoff-${kind?.id ?? ''}`,
    };
  }
  if (gate.startsWith('validation'))
    return {
      gate,
      role: roleOf(policy, 'validation.run'),
      words:
        gate === 'validation'
          ? 'Validate the target environment'
          : gate === 'validation-fresh'
            ? `Validate the target again (${g.message})`
            : `Fix on the target, then validate again: ${g.message}`,
      href: '#validation-title',
    };
  const fixed: Record<string, Omit<GateAction, 'gate'>> = {
    'plan-approved': {
      role: roleOf(policy, 'plan.approve'),
      words: r.approval ? 'Approve the revised plan (the approval does not cover it)' : 'Approve the plan',
      href: '#act-approve',
    },
    'backup-verified': {
      role: roleOf(policy, 'deployment.execute'),
      words: `Take a test-restored backup of production (run: mokodeploy backup ${r.id})`,
      href: '#item-backup-verified',
    },
    window: {
      role: roleOf(policy, 'deployment.schedule'),
      words: 'Schedule the client-approved window',
      href: '#act-schedule',
    },
    'deployment-run': {
      role: roleOf(policy, 'deployment.execute'),
      words: 'Run the deployment',
      href: '#progress-title',
    },
    verification: {
      role: roleOf(policy, 'verification.run'),
      words: 'Record the verification',
      href: '#verification-title',
    },
    hypercare: { role: roleOf(policy, 'deployment.close'), words: `Hypercare: ${g.message}` },
    'daily-check-ins': {
      role: roleOf(policy, 'support.record'),
      words: `Record the missing check-ins: ${g.message}`,
      href: '#act-support-checkin',
    },
    'issues-resolved': {
      role: roleOf(policy, 'issue.resolve'),
      words: `Resolve the open issues (${g.message})`,
      href: '#issues-title',
    },
    satisfaction: {
      role: roleOf(policy, 'satisfaction.record'),
      words: 'Record the client satisfaction score',
      href: '#act-satisfaction',
    },
    'deployment-report': {
      role: roleOf(policy, 'deployment.execute'),
      words: `Generate the deployment report (run: mokodeploy report ${r.id} deployment)`,
    },
    'knowledge-base': {
      role: roleOf(policy, 'document.record'),
      words: 'Record the knowledge-base update',
      href: '#act-knowledge-base',
    },
    'lessons-learned': {
      role: roleOf(policy, 'lesson.record'),
      words: 'Document the lessons learned',
      href: '#act-lesson',
    },
    'root-cause': {
      role: roleOf(policy, 'deployment.rollback'),
      words: 'Document the rollback root cause',
      href: '#act-rollback-analysis',
    },
  };
  return { gate, ...(fixed[gate] ?? { role: 'deployment-manager', words: g.message }) };
}

/** Gate actions grouped by role, in the policy's order of roles; one line per distinct action. */
export function groupByRole(
  policy: Policy,
  actions: GateAction[],
): { role: string; label: string; actions: GateAction[] }[] {
  return policy.roles
    .map((role) => {
      const mine = actions.filter((a) => a.role === role.id);
      const unique = mine.filter((a, i) => mine.findIndex((b) => b.words === a.words) === i);
      return { role: role.id, label: role.label, actions: unique };
    })
    .filter((g) => g.actions.length > 0);
}
