import type { DeploymentRecord, VerificationItemResult } from '../core/record.js';

/**
 * Policy "Rollback Procedures / When to Rollback": "Critical functionality broken" — a failed login,
 * dashboard or critical workflow. Only inside the deployment window does it call for a rollback now;
 * later it is an issue for hypercare.
 */
export const criticalItems = ['verify.login', 'verify.dashboard', 'verify.workflows'];

export interface CriticalFailure {
  items: VerificationItemResult[];
  inWindow: boolean;
  reason: string;
}

export function criticalFailure(
  record: DeploymentRecord,
  items: VerificationItemResult[],
  now: Date,
): CriticalFailure | undefined {
  const broken = items.filter((i) => criticalItems.includes(i.id) && i.status === 'fail');
  if (broken.length === 0) return undefined;
  const w = record.plan.window;
  const inWindow = w
    ? now.getTime() >= Date.parse(w.start) && now.getTime() <= Date.parse(w.end)
    : record.state === 'verifying';
  const reason = `verification: ${broken.map((i) => `${i.id} failed (${(i.detail ?? i.observed ?? '').slice(0, 160)})`).join('; ')}`;
  return { items: broken, inWindow, reason };
}
