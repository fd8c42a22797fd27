import type { CommandModule } from './module.js';
import { refuseOutsideWindow } from './window-check.js';
import { rollbackIsEmergency } from '../../core/window.js';
import { recordRollbackDecision } from './rollback-decide.js';
import type { AppContext } from '../../app/context.js';
import { targetError } from '../../core/errors.js';
import { gatherRollbackFacts } from '../../steps/rollback/facts.js';
import { lastRollbackFacts, runRollback, type RollbackResult } from '../../steps/rollback/run-rollback.js';
import type { EngineSetup } from '../../app/engine/setup.js';
import {
  checkBeforeWork,
  engineSetup,
  withEngineOptions,
  type EngineCliOptions,
} from '../../app/engine/setup.js';
import { recordedDowntime } from '../../steps/upgrade/outage.js';
import { beforeWritesFacts, tryRollbackBeforeWrites } from '../../app/engine/rollback-before-writes.js';
import { journalId } from '../../steps/upgrade/engine-run.js';
import { openRun } from '../../runner/index.js';
import { changeCounts, describeChanges, hasChanges, type SiteChanges } from '../../steps/rollback/changes.js';
import { enqueueCommand, queueFlag, queued } from './worker-queue.js';
import type { Command } from 'commander';

interface RollbackCliOptions extends EngineCliOptions {
  trigger: string;
  reason: string;
  rootCause?: string;
  remediation?: string;
  backup?: string;
  toRelease?: string;
  discardChanges?: boolean;
}

/**
 * `mokodeploy rollback <id>`: policy "Rollback Procedures" performed (steps/rollback/): back to the release and
 * backup of the last upgrade (or --to-release / --backup), verified by a login and by row counts and checksums
 * against the backup, then recorded with the core 'rollback' operation and, when given, the root cause.
 * (`rollback-record` only records a rollback done by hand.)
 */
export const rollbackRunCommands: CommandModule = {
  register(program, app) {
    withEngineOptions(
      program
        .command('rollback <id>')
        .description(
          'roll back to the previous release and the pre-upgrade backup, verify (login, row counts, checksums), record',
        ),
    )
      .requiredOption(
        '--trigger <id>',
        'critical-functionality | data-integrity | security-vulnerability | performance | client-request',
      )
      .requiredOption('--reason <text>', 'what happened')
      .option('--root-cause <text>', 'root cause (post-rollback analysis)')
      .option('--remediation <text>', 'remediation plan')
      .option('--backup <stamp>', "the backup to restore (default: the last upgrade's, else the newest)")
      .option(
        '--to-release <name>',
        "the release to switch back to (default: the last upgrade's previous release)",
      )
      .option(
        '--discard-changes',
        'roll back although the site changed since the backup (rows, documents): they are kept as evidence, then discarded',
      )
      .addOption(queueFlag())
      .action(async (id: string, o: RollbackCliOptions, cmd: Command) => {
        if (queued(cmd)) return enqueueCommand(app(), cmd);
        const a = app();
        const s = await engineSetup(a, id, o);
        try {
          // the record's state and role first: a record that cannot move to rolled-back is not rolled back on the
          // live site (issue 13 "state before work")
          await checkBeforeWork(a, s.record, 'rollback', { trigger: o.trigger, reason: o.reason }, o.as);
          // issue 16: outside the approved window only on a critical trigger (an emergency) or an exception
          const emergency = rollbackIsEmergency(a.policy(), o.trigger);
          await refuseOutsideWindow(a, id, { command: 'rollback', emergency });
          // issue 19: after an upgrade by copy that took no write, the old release on the old database again, nothing restored
          const instant = await tryRollbackBeforeWrites(a, s, o);
          if (instant) {
            await a.act(id, 'rollback', { trigger: o.trigger, reason: o.reason }, o.as);
            await recordRootCause(a, id, o);
            const done = beforeWritesFacts(
              instant,
              s.record.facts.upgrade as { previousRelease?: string },
              a.now(),
            );
            await a.act(id, 'record-facts', { lastRollback: done }, o.as);
            a.out.result(
              { id, ok: true, ...done },
              () =>
                `${id}: rolled back before writes to ${done.release} in ${done.durationSeconds.toFixed(1)} s (switch ${done.switchSeconds ?? '?'} s, downtime ${done.downtimeSeconds ?? '?'} s): the old release on the old database again, nothing restored; login ${instant.health?.ok ? 'OK' : 'FAILED'}`,
            );
            return;
          }
          await recordRollbackDecision(a, id, { trigger: o.trigger, reason: o.reason }, o.as); // notifies (issue 16)
          const facts = await rollbackFacts(a, s, o);
          const killed = killedRun(a, s);
          const r = await runRollback({
            ...s.engine,
            ctx: s.ctx(facts),
            access: s.access,
            discardChanges: o.discardChanges === true,
          });
          const discarded = r.changes && hasChanges(r.changes) ? r.changes : undefined;
          if (!r.ok) throw targetError(`${id}: the rollback failed: ${r.reason}`, { where: r.failedStep });
          // the killed upgrade's entry on the record ends abandoned, with its times, before the record moves on
          if (killed) await a.act(id, 'finish-run', killed, o.as);
          // the notice says what was discarded (--discard-changes) and where it is kept
          const reason = discarded
            ? `${o.reason}; --discard-changes: ${discardSummary(discarded)}; kept in ${r.evidence?.dir ?? '?'}`
            : o.reason;
          await a.act(id, 'rollback', { trigger: o.trigger, reason }, o.as);
          const done = lastRollbackFacts(
            r,
            { ...facts, backupStamp: r.backup?.stamp ?? facts.backupStamp },
            a.now(),
          );
          await recordRootCause(a, id, o);
          const earlier = Array.isArray(s.record.facts.rollbackRuns) ? s.record.facts.rollbackRuns : [];
          await a.act(
            id,
            'record-facts',
            {
              lastRollback: done,
              // every rollback's time and downtime, for the metrics (core/metrics.ts)
              rollbackRuns: [
                ...earlier,
                { at: done.at, durationSeconds: done.durationSeconds, downtimeSeconds: done.downtimeSeconds },
              ],
            },
            o.as,
          );
          a.out.result(
            {
              id,
              ok: true,
              release: facts.previousRelease,
              backup: facts.backupStamp,
              durationSeconds: r.durationMs / 1000,
              downtimeSeconds: done.downtimeSeconds,
              runId: r.runId,
              steps: r.steps,
              discardedChanges: discarded ? changeCounts(discarded) : undefined,
              evidence: r.evidence,
            },
            () => human(id, facts, r),
          );
        } finally {
          await s.close();
        }
      });
  },
};

/** The root cause given with --root-cause, recorded as the rollback's analysis (remediation 'to be planned' unless given). */
async function recordRootCause(a: AppContext, id: string, o: RollbackCliOptions): Promise<void> {
  if (o.rootCause)
    await a.act(
      id,
      'rollback-analysis',
      { rootCause: o.rootCause, remediation: o.remediation ?? 'to be planned' },
      o.as,
    );
}

/** A killed upgrade this rollback undoes: still `running` on the record, its journal open. */
function killedRun(a: AppContext, s: EngineSetup) {
  const last = s.record.runs.at(-1);
  const open = openRun(a.home, journalId(s.record.id, 'upgrade'));
  if (s.record.state !== 'deploying' || last?.outcome !== 'running' || !open) return undefined;
  const endedAt = Date.parse(open.records.at(-1)?.at ?? last.startedAt);
  return {
    outcome: 'abandoned' as const,
    durationSeconds: Math.max(0, (endedAt - Date.parse(last.startedAt)) / 1000),
    note: `killed (run ${open.runId}); rolled back`,
  };
}

type Upgrade = { previousRelease?: string; backupStamp?: string; runId?: string };

/**
 * The upgrade this rollback undoes: one interrupted (killed) whose backup is complete — its own journal knows its
 * backup and the release it left — else the most recent recorded upgrade, succeeded or failed.
 */
function lastUpgrade(a: AppContext, id: string, facts: Record<string, unknown>): Upgrade | undefined {
  const open = openRun(a.home, journalId(id, 'upgrade'));
  const started = open?.records.find((r) => r.type === 'run-started');
  const backedUp = open?.records.some((r) => r.type === 'step-done' && r.step === 'backup:manifest');
  if (started && backedUp)
    return {
      backupStamp: String(started.facts.backupStamp ?? started.facts.stamp),
      previousRelease: started.facts.previousRelease as string | undefined,
      runId: open!.runId,
    };
  const all = [facts.upgrade, facts.lastFailedUpgrade].filter(Boolean) as Upgrade[];
  // run ids begin with their start time: the larger is the later
  return all.sort((x, y) => String(x.runId ?? '').localeCompare(String(y.runId ?? ''))).at(-1);
}

async function rollbackFacts(a: AppContext, s: EngineSetup, o: RollbackCliOptions) {
  const plan = s.record.plan;
  const last = lastUpgrade(a, s.record.id, s.record.facts);
  const phpReload = s.factOverrides.phpReload ?? {
    kind: 'systemd' as const,
    service: plan.target.phpFpmService ?? 'php8.2-fpm',
  };
  const facts = await gatherRollbackFacts(s.host, plan, {
    backupStamp: o.backup ?? last?.backupStamp,
    previousRelease: o.toRelease ?? last?.previousRelease,
    reason: o.reason,
    phpReload,
    now: a.now(),
  });
  return { ...s.factOverrides, ...facts };
}

function human(
  id: string,
  facts: { previousRelease: string; backupStamp: string },
  r: RollbackResult,
): string {
  return [
    `${id}: rolled back to ${facts.previousRelease} with backup ${facts.backupStamp} in ${(r.durationMs / 1000).toFixed(1)} s (downtime ${recordedDowntime(r.downtime?.downtimeSeconds, r.outage) ?? '?'} s)`,
    `verified: login ${r.health?.ok ? 'OK' : 'FAILED'}; ${r.backup?.tables.rows.size ?? '?'} tables with the backup's row counts and checksums`,
    ...(r.changes && hasChanges(r.changes)
      ? ['discarded (--discard-changes):', ...describeChanges(r.changes).map((l) => `  ${l}`)]
      : []),
    ...(r.evidence
      ? [`kept before the restore: ${r.evidence.database}`, `  and ${r.evidence.documents}`]
      : []),
    ...r.steps.map((x) => `  ${x.id.padEnd(30)} ${(x.ms / 1000).toFixed(2).padStart(7)} s`),
  ].join('\n');
}

/** "llx_societe +1 rows, 2 documents": the counts, for the rollback notice. */
function discardSummary(c: SiteChanges): string {
  const t = changeCounts(c);
  return `${t.tablesChanged} tables (${t.rowsAdded} rows added), ${t.documents} documents: ${describeChanges(c).slice(0, 20).join('; ')}`;
}
