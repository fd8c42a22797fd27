import type { CommandModule } from './module.js';
import { refused, targetError } from '../../core/errors.js';
import { runRehearsal, type RehearsalResult } from '../../steps/rehearse/run-rehearsal.js';
import { engineSetup, withEngineOptions, type EngineCliOptions } from '../../app/engine/setup.js';

/**
 * `mokodeploy rehearse <id>` (issue 5): the upgrade run on a throwaway copy restored from production's latest
 * backup; each step's time and the predicted downtime are recorded on the deployment for the approval.
 */
export const rehearseCommands: CommandModule = {
  register(program, app) {
    withEngineOptions(
      program
        .command('rehearse <id>')
        .description(
          'rehearse the upgrade on a throwaway copy restored from the latest backup; record step times and the predicted downtime',
        ),
    ).action(async (id: string, o: EngineCliOptions) => {
      const a = app();
      const s = await engineSetup(a, id, o);
      try {
        if (s.record.plan.kind !== 'upgrade') throw refused(`${id} is not an upgrade: nothing to rehearse`);
        const r = await runRehearsal({
          ...s.engine,
          ctx: s.ctx({ backups: s.record.facts.backups, lastBackup: s.record.facts.lastBackup }),
        }); // issue 23: the recorded manifest
        const outcome = r.upgrade?.outcome ?? 'restore-failed';
        await a.act(
          id,
          'record-facts',
          {
            rehearsal: {
              at: a.now().toISOString(),
              backup: r.backupStamp,
              from: r.fromVersion,
              to: s.record.plan.dolibarr.version,
              outcome,
              reason: r.upgrade?.reason ?? r.restore.reason,
              predictedDowntimeSeconds: r.predictedDowntimeSeconds,
              durationSeconds: r.durationMs / 1000,
              steps: [...r.restore.steps, ...(r.upgrade?.steps ?? [])],
              copyRemoved: r.removed,
            },
          },
          o.as,
        );
        a.out.result(
          {
            id,
            outcome,
            predictedDowntimeSeconds: r.predictedDowntimeSeconds,
            durationSeconds: r.durationMs / 1000,
            restoreSteps: r.restore.steps,
            upgradeSteps: r.upgrade?.steps,
          },
          () => human(id, s.record.plan.dolibarr.version, r),
        );
        if (outcome !== 'upgraded')
          throw targetError(
            `${id}: the rehearsal ended ${outcome}: ${r.upgrade?.reason ?? r.restore.reason}`,
          );
      } finally {
        await s.close();
      }
    });
  },
};

function human(id: string, to: string, r: RehearsalResult): string {
  const row = (x: { id: string; ms: number }) =>
    `  ${x.id.padEnd(36)} ${(x.ms / 1000).toFixed(2).padStart(7)} s`;
  return [
    `${id}: rehearsal of ${r.fromVersion} -> ${to} on a copy of backup ${r.backupStamp}: ${r.upgrade?.outcome ?? 'restore failed'} in ${(r.durationMs / 1000).toFixed(1)} s`,
    `predicted downtime: ${r.predictedDowntimeSeconds ?? '?'} s (maintenance on -> off)`,
    'restore into the copy:',
    ...r.restore.steps.map(row),
    'upgrade of the copy:',
    ...(r.upgrade?.steps ?? []).map(row),
    `copy removed: ${r.removed ? 'yes' : 'NO (remove <root>-rehearsal and the _rehearsal database by hand)'}`,
  ].join('\n');
}
