import type { CommandModule } from './module.js';
import { refuseOutsideWindow } from './window-check.js';
import { rollbackIsEmergency } from '../../core/window.js';
import type { AppContext } from '../app.js';
import { targetError } from '../../core/errors.js';
import { gatherRollbackFacts } from '../../steps/rollback/facts.js';
import { lastRollbackFacts, runRollback, type RollbackResult } from '../../steps/rollback/run-rollback.js';
import type { EngineSetup } from '../engine/setup.js';
import { checkBeforeWork, engineSetup, withEngineOptions, type EngineCliOptions } from '../engine/setup.js';
import { recordedDowntime } from '../../steps/upgrade/outage.js';

interface RollbackCliOptions extends EngineCliOptions {
  trigger: string;
  reason: string;
  rootCause?: string;
  remediation?: string;
  backup?: string;
  toRelease?: string;
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
      .action(async (id: string, o: RollbackCliOptions) => {
        const a = app();
        const s = await engineSetup(a, id, o);
        try {
          // the record's state and role first: a record that cannot move to rolled-back is not rolled back on the
          // live site (issue 13 "state before work")
          await checkBeforeWork(a, s.record, 'rollback', { trigger: o.trigger, reason: o.reason }, o.as);
          // issue 16: outside the approved window only on a critical trigger (an emergency) or an exception
          const emergency = rollbackIsEmergency(a.policy(), o.trigger);
          await refuseOutsideWindow(a, id, { command: 'rollback', emergency });
          const facts = await rollbackFacts(a, s, o);
          const r = await runRollback({ ...s.engine, ctx: s.ctx(facts), access: s.access });
          if (!r.ok) throw targetError(`${id}: the rollback failed: ${r.reason}`, { where: r.failedStep });
          await a.act(id, 'rollback', { trigger: o.trigger, reason: o.reason }, o.as);
          const done = lastRollbackFacts(r, facts, a.now());
          if (o.rootCause)
            await a.act(
              id,
              'rollback-analysis',
              { rootCause: o.rootCause, remediation: o.remediation ?? 'to be planned' },
              o.as,
            );
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
            },
            () => human(id, facts, r),
          );
        } finally {
          await s.close();
        }
      });
  },
};

/** The most recent upgrade of the record (succeeded or failed): its backup and the release it left. */
function lastUpgrade(facts: Record<string, unknown>) {
  type Upgrade = { previousRelease?: string; backupStamp?: string; runId?: string };
  const all = [facts.upgrade, facts.lastFailedUpgrade].filter(Boolean) as Upgrade[];
  // run ids begin with their start time: the larger is the later
  return all.sort((x, y) => String(x.runId ?? '').localeCompare(String(y.runId ?? ''))).at(-1);
}

async function rollbackFacts(a: AppContext, s: EngineSetup, o: RollbackCliOptions) {
  const plan = s.record.plan;
  const last = lastUpgrade(s.record.facts);
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
    ...r.steps.map((x) => `  ${x.id.padEnd(30)} ${(x.ms / 1000).toFixed(2).padStart(7)} s`),
  ].join('\n');
}
