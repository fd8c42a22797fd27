import type { AppContext } from '../cli/app.js';
import type { DeploymentRecord } from '../core/record.js';
import type { Host } from '../hosts/host.js';
import { runRollback } from '../steps/rollback/run-rollback.js';
import type { SiteAccess } from './http.js';
import type { CriticalFailure } from './critical.js';

/**
 * A critical failure inside the deployment window: offer the rollback, or perform it when the plan says
 * rollbackOnCriticalFailure. The rollback engine (src/steps/rollback) needs the upgrade's facts (the
 * previous release and the backup); without them (a fresh install has nothing to go back to) the trigger
 * is recorded with the core 'rollback' operation and the people are told to restore by hand.
 */
export interface Response {
  action: 'offered' | 'rolled-back' | 'recorded-trigger' | 'rollback-failed';
  message: string;
}

const trigger = 'critical-functionality';

export async function respondToCriticalFailure(
  app: AppContext,
  record: DeploymentRecord,
  failure: CriticalFailure,
  o: { host: Host; as?: string; site: SiteAccess; secret(name: string): import('../core/secret.js').Secret },
): Promise<Response> {
  if (!record.plan.rollbackOnCriticalFailure) {
    return {
      action: 'offered',
      message: `critical failure inside the deployment window (${failure.reason}).\nthe policy says roll back: mokodeploy rollback-record ${record.id} --trigger ${trigger} --reason "..." after restoring, or fix and run verify again`,
    };
  }
  const f = record.facts;
  if (typeof f.previousRelease !== 'string' || typeof f.backupStamp !== 'string' || !f.target) {
    await app.act(
      record.id,
      'rollback',
      {
        trigger,
        reason: `${failure.reason} (automatic; no previous release or backup recorded: restore by hand)`,
      },
      o.as,
    );
    return {
      action: 'recorded-trigger',
      message: `critical failure: the rollback trigger is recorded (${record.id} is rolled-back), but this deployment has no previous release and backup on record for the rollback engine: take the site offline and restore by hand (policy "Execute Rollback")`,
    };
  }
  const actor = await app.actor(o.as);
  const run = await runRollback({
    host: o.host,
    ctx: {
      plan: record.plan,
      policy: app.policy(),
      facts: { ...f, reason: failure.reason },
      outputs: {},
      secret: o.secret,
    },
    storeDir: app.home,
    deploymentId: record.id,
    planHash: record.planHash,
    person: actor.login,
    access: { address: o.site.address, ca: o.site.ca },
  });
  const outcome = run.ok
    ? `rolled back to ${f.previousRelease} in ${Math.round(run.durationMs / 1000)} s`
    : `rollback FAILED at ${run.failedStep ?? '?'}: ${run.reason}`;
  await app.act(record.id, 'rollback', { trigger, reason: `${failure.reason}; ${outcome}` }, o.as);
  return { action: run.ok ? 'rolled-back' : 'rollback-failed', message: `critical failure: ${outcome}` };
}
