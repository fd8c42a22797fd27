import type { LoginResult } from '../../dolibarr/login-form.js';
import { startDowntimeProbe, type DowntimeReport } from '../../runner/downtime-probe.js';
import { layoutOf } from '../install/context.js';
import { rollbackPipeline } from '../rollback/index.js';
import { CommandError } from '../../runner/index.js';
import { runPipeline, type EngineContext, type PipelineRun, type StepTime } from './engine-run.js';
import { maintenanceWindow, type Outage } from './outage.js';
import { dolibarrPageErrors } from './page-errors.js';
import { checkSiteHealth, type SiteAccess } from './health.js';
import { upgradeFacts } from './context.js';
import { afterUpgradeInventory, upgradePipeline } from './index.js';

/**
 * Issue 5: an upgrade that rolls itself back. The upgrade pipeline runs; then the site's health (login through
 * the form) is checked. On any failure after the live site was touched (maintenance on, switch, migration), the
 * rollback pipeline switches back and restores the database from the backup this run made, verifies the data
 * and marks the new release bad; before that point only the new release is marked bad. The downtime prober runs
 * throughout, when the site can be reached.
 */
export interface UpgradeOptions extends EngineContext {
  access?: SiteAccess;
  /** Poll the site during the run (default true). */
  probe?: boolean;
  /** Log in after the upgrade (default true); a rehearsal copy has no web server and relies on the version check. */
  checkHealth?: boolean;
}

export interface UpgradeResult {
  outcome: 'upgraded' | 'rolled-back' | 'failed-before-switch' | 'rollback-failed';
  reason?: string;
  failedStep?: string;
  previousRelease: string;
  newRelease: string;
  backupStamp: string;
  steps: StepTime[];
  rollbackSteps?: StepTime[];
  health?: LoginResult;
  downtime?: DowntimeReport;
  /** Maintenance on -> off as the journals know it, across a kill and the resume (and the rollback). */
  outage?: Outage;
  /** The upgrade run's id; it resumed an interrupted run. */
  runId: string;
  resumed: boolean;
  /** Everything the failing command printed (Dolibarr's upgrade page), kept as evidence. */
  output?: string;
  durationMs: number;
  facts: Record<string, unknown>;
}

export async function runUpgrade(o: UpgradeOptions): Promise<UpgradeResult> {
  const started = Date.now();
  upgradeFacts(o.ctx);
  const probe = o.probe === false ? undefined : startDowntimeProbe({ url: o.ctx.plan.site.url, ...o.access });
  const run = await runPipeline(
    o,
    'upgrade',
    (facts) => upgradePipeline(upgradeFacts({ ...o.ctx, facts }), o.ctx.plan),
    o.ctx.facts,
    { leaveOpen: true }, // closed below: done, or rolled back once the rollback ran
  );
  const used = { ...o.ctx, facts: run.facts };
  const steps = upgradePipeline(upgradeFacts(used), used.plan);
  const base = {
    previousRelease: upgradeFacts(used).previousRelease,
    newRelease: layoutOf(used).releaseName,
    backupStamp: String(run.facts.backupStamp ?? run.facts.stamp),
    steps: run.steps,
    facts: run.facts,
    runId: run.runId,
    resumed: run.resumed,
  };
  let health: LoginResult | undefined;
  let inventory: PipelineRun | undefined;
  if (run.ok) {
    health = o.checkHealth === false ? undefined : await checkSiteHealth(used, o.access ?? {});
    // after the login: a rollback compares the live database with what the site was once healthy (issue 25)
    if (!health || health.ok) inventory = await runPipeline(o, 'upgrade-inventory', [afterUpgradeInventory], run.facts);
    if ((!health || health.ok) && inventory?.ok) {
      run.close('done');
      return {
        outcome: 'upgraded',
        ...base,
        health,
        downtime: await probe?.stop(),
        outage: maintenanceWindow(run.records()),
        durationMs: Date.now() - started,
      };
    }
  }
  const reason = !run.ok
    ? failureReason(run)
    : inventory && !inventory.ok
      ? `the inventory after the upgrade failed: ${inventory.error?.message ?? 'unknown error'}`
      : `health check after the upgrade failed: ${health?.reason ?? 'login refused'}`;
  // a step whose plan() refused fails before its step-start event: it is the one after the last finished
  const failedStep = run.ok
    ? inventory?.failedStep
    : (run.failedStep ?? steps[run.steps.length]?.id);
  const touched =
    !run.ok && failedStep
      ? steps.findIndex((s) => s.id === failedStep) >=
        steps.findIndex((s) => s.id === 'upgrade:maintenance-on')
      : true;
  const rollbackFacts = { ...run.facts, badRelease: base.newRelease, backupStamp: base.backupStamp, reason };
  const rollback = await runPipeline(
    { ...o, ctx: used },
    'rollback',
    touched ? rollbackPipeline() : rollbackPipeline().filter((s) => s.id === 'rollback:mark-bad'),
    rollbackFacts,
  );
  run.close(rollback.ok ? 'rolled-back' : 'failed', reason);
  const after =
    rollback.ok && touched && o.checkHealth !== false ? await checkSiteHealth(used, o.access ?? {}) : health;
  const outcome =
    !rollback.ok || (touched && o.checkHealth !== false && !after?.ok)
      ? 'rollback-failed'
      : touched
        ? 'rolled-back'
        : 'failed-before-switch';
  return {
    outcome,
    ...base,
    reason: rollback.ok ? reason : `${reason}; the rollback failed too: ${rollback.error?.message}`,
    failedStep: failedStep ?? 'health-check',
    rollbackSteps: rollback.steps,
    health: after,
    downtime: await probe?.stop(),
    outage: maintenanceWindow([...run.records(), ...rollback.records()]),
    output: run.error instanceof CommandError ? run.error.output : undefined,
    durationMs: Date.now() - started,
  };
}

/**
 * Why the upgrade failed, with the cause: the error lines Dolibarr's page printed (the failing SQL and the
 * database's message, page-errors.ts) when there are any, else the last lines of what the command printed.
 */
function failureReason(run: PipelineRun): string {
  const message = run.error?.message ?? 'the upgrade failed';
  const cause = run.error instanceof CommandError ? dolibarrPageErrors(run.error.output) : [];
  if (cause.length > 0) return `${message}: ${cause.join('; ')}`;
  const detail = (run.error?.details ?? [])
    .filter((d) => !d.startsWith('command:'))
    .slice(-4)
    .join(' ');
  return detail ? `${message} ${detail}` : message;
}
