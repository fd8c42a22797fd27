import type { AppContext } from '../app/context.js';
import type { DeploymentRecord } from '../core/record.js';
import type { Secret } from '../core/secret.js';
import type { Host } from '../hosts/host.js';
import { gatherRollbackFacts } from '../steps/rollback/facts.js';
import { lastRollbackFacts, runRollback } from '../steps/rollback/run-rollback.js';
import type { PhpReload } from '../steps/upgrade/context.js';
import type { SiteAccess } from './http.js';
import type { CriticalFailure } from './critical.js';

/**
 * A critical failure inside the deployment window: offer the rollback, or perform it when the plan says
 * rollbackOnCriticalFailure. The rollback engine (src/steps/rollback) goes back to the release and backup the last
 * upgrade recorded (facts.upgrade, as `mokodeploy upgrade` writes them, or facts.lastFailedUpgrade); without them
 * (a fresh install has nothing to go back to) the trigger is recorded with the core 'rollback' operation and the
 * people are told to restore by hand.
 */
export interface Response {
  action: 'offered' | 'rolled-back' | 'recorded-trigger' | 'rollback-failed';
  message: string;
}

export interface RespondOptions {
  host: Host;
  as?: string;
  site: SiteAccess;
  secret(name: string): Secret;
  /** How PHP-FPM is reloaded after the switch back (default: systemd, the plan's phpFpmService). */
  phpReload?: PhpReload;
}

const trigger = 'critical-functionality';

/** The release and backup of the last upgrade, when the record has them. */
export function lastUpgrade(
  record: DeploymentRecord,
): { previousRelease: string; backupStamp: string } | undefined {
  const last = (record.facts.upgrade ?? record.facts.lastFailedUpgrade) as
    { previousRelease?: unknown; backupStamp?: unknown } | undefined;
  return typeof last?.previousRelease === 'string' && typeof last.backupStamp === 'string'
    ? { previousRelease: last.previousRelease, backupStamp: last.backupStamp }
    : undefined;
}

export async function respondToCriticalFailure(
  app: AppContext,
  record: DeploymentRecord,
  failure: CriticalFailure,
  o: RespondOptions,
): Promise<Response> {
  const last = lastUpgrade(record);
  if (!record.plan.rollbackOnCriticalFailure) {
    const how = last
      ? `mokodeploy rollback ${record.id} --trigger ${trigger} --reason "..." (back to ${last.previousRelease} and backup ${last.backupStamp})`
      : `restore by hand, then mokodeploy rollback-record ${record.id} --trigger ${trigger} --reason "..."`;
    return {
      action: 'offered',
      message: `critical failure inside the deployment window (${failure.reason}).\nthe policy says roll back: ${how}; or fix and run verify again`,
    };
  }
  if (!last) {
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
  return performRollback(app, record, failure, o, last);
}

async function performRollback(
  app: AppContext,
  record: DeploymentRecord,
  failure: CriticalFailure,
  o: RespondOptions,
  last: { previousRelease: string; backupStamp: string },
): Promise<Response> {
  const plan = record.plan;
  const phpReload = o.phpReload ?? {
    kind: 'systemd' as const,
    service: plan.target.phpFpmService ?? 'php8.2-fpm',
  };
  const facts = await gatherRollbackFacts(o.host, plan, {
    ...last,
    reason: failure.reason,
    phpReload,
    now: app.now(),
  });
  const actor = await app.actor(o.as);
  const run = await runRollback({
    host: o.host,
    ctx: {
      plan,
      policy: app.policy(),
      facts: { ...(phpReload.kind === 'pidfile' ? { serviceManager: 'none' } : {}), ...facts },
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
    ? `rolled back to ${facts.previousRelease} with backup ${facts.backupStamp} in ${Math.round(run.durationMs / 1000)} s (login verified)`
    : `rollback FAILED at ${run.failedStep ?? '?'}: ${run.reason}`;
  // a rollback that did not complete is not recorded as one: the record stays where it is, with the facts
  if (run.ok)
    await app.act(
      record.id,
      'rollback',
      { trigger, reason: `automatic: ${failure.reason}; ${outcome}` },
      o.as,
    );
  await app.act(
    record.id,
    'record-facts',
    {
      lastRollback: lastRollbackFacts(run, facts, app.now(), true),
    },
    o.as,
  );
  return run.ok
    ? { action: 'rolled-back', message: `critical failure: ${outcome}` }
    : {
        action: 'rollback-failed',
        message: `critical failure: ${outcome}; restore by hand (policy "Execute Rollback"), then mokodeploy rollback-record ${record.id} --trigger ${trigger} --reason "..."`,
      };
}
