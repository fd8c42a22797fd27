import type { Policy } from '../../policy/types.js';
import type { DeploymentRecord } from '../../core/record.js';
import { requiredChecklistItems } from '../../core/required-items.js';

export function describeRecord(r: DeploymentRecord, policy: Policy): string {
  const items = requiredChecklistItems(policy, r.plan);
  const done = items.filter((i) => r.checklist[i.id]?.ticked).length;
  const lines = [
    `${r.id} — ${r.plan.clientName} (${r.kind}, ${r.environment})`,
    `state: ${r.state}; policy ${r.policyVersion}; plan ${r.planHash.slice(0, 12)} by ${r.author}`,
    `approval: ${r.approval ? `${r.approval.stamp.by} at ${r.approval.stamp.at}${r.approval.planHash === r.planHash ? '' : ' (for an older plan)'}` : 'none'}`,
    `window: ${r.schedule ? `${r.schedule.start} - ${r.schedule.end}, client approval: ${r.schedule.clientApprovedBy}` : r.plan.window ? `${r.plan.window.start} - ${r.plan.window.end} (not yet scheduled)` : 'none'}`,
    `checklist: ${done}/${items.length} done`,
    `validations: ${r.validations.length}${r.validations.length ? ` (latest: ${r.validations.at(-1)!.worst} at ${r.validations.at(-1)!.finishedAt})` : ''}`,
    `runs: ${r.runs.map((x) => `${x.outcome} ${x.startedAt}`).join('; ') || 'none'}`,
    `verifications: ${r.verifications.map((v) => `${v.passed ? 'passed' : 'failed'} ${v.at}`).join('; ') || 'none'}`,
    `sign-offs: ${r.signoffs.map((s) => `${s.kind} by ${s.stamp.by}`).join(', ') || 'none'}`,
    `issues: ${r.issues.length} (${r.issues.filter((i) => !i.resolvedAt).length} open)`,
    `trainings: ${r.trainings.map((t) => `${t.session} ${t.heldAt ? 'held' : 'planned'}`).join(', ') || 'none'}`,
    `rollbacks: ${r.rollbacks.length}; lessons: ${r.lessons.length}`,
  ];
  if (r.support)
    lines.push(
      `hypercare: from ${r.support.hypercareStart}, ${r.support.hypercareDays} days, ${r.support.checkIns.length} check-in(s)`,
    );
  if (r.satisfaction) lines.push(`client satisfaction: ${r.satisfaction.score}`);
  if (r.cancellation) lines.push(`cancelled by ${r.cancellation.by}: ${r.cancellation.reason}`);
  return lines.join('\n');
}
