import type { CommandModule } from './module.js';
import { refused, targetError } from '../../core/errors.js';
import { runRehearsal, type RehearsalResult } from '../../steps/rehearse/run-rehearsal.js';
import { engineSetup, withEngineOptions, type EngineCliOptions } from '../../app/engine/setup.js';
import { inputError } from '../../core/errors.js';
import type { Prediction } from '../../steps/rehearse/predict.js';

interface RehearseCliOptions extends EngineCliOptions {
  inPlace?: boolean;
  reloadSeconds?: string;
}

/**
 * `mokodeploy rehearse <id>` (issues 5, 19): the upgrade run on a throwaway copy restored from production's latest
 * backup, with the engine the upgrade will use (by copy unless --in-place, as `upgrade`); each step's time and the
 * prediction of the real upgrade (writes unavailable, outage: steps/rehearse/predict.ts) are recorded on the
 * deployment for the approval.
 */
export const rehearseCommands: CommandModule = {
  register(program, app) {
    withEngineOptions(
      program
        .command('rehearse <id>')
        .description(
          'rehearse the upgrade on a throwaway copy restored from the latest backup; record step times and the predicted downtime',
        ),
    )
      .option(
        '--in-place',
        'rehearse the in-place engine (as `upgrade --in-place`) instead of the upgrade by copy',
      )
      .option(
        '--reload-seconds <s>',
        'seconds one PHP-FPM reload takes on this target, for the prediction (a rehearsal does not reload production)',
      )
      .action(async (id: string, o: RehearseCliOptions) => {
        const reloadSeconds = o.reloadSeconds === undefined ? undefined : Number(o.reloadSeconds);
        if (
          reloadSeconds !== undefined &&
          !(Number.isFinite(reloadSeconds) && reloadSeconds >= 0 && reloadSeconds < 600)
        )
          throw inputError(`--reload-seconds: expected seconds between 0 and 600, got "${o.reloadSeconds}"`, {
            fix: 'e.g. --reload-seconds 0.5',
          });
        const engine = o.inPlace ? 'in-place' : 'copy';
        const a = app();
        const s = await engineSetup(a, id, o);
        try {
          if (s.record.plan.kind !== 'upgrade') throw refused(`${id} is not an upgrade: nothing to rehearse`);
          const r = await runRehearsal(
            {
              ...s.engine,
              ctx: s.ctx({ backups: s.record.facts.backups, lastBackup: s.record.facts.lastBackup }),
            }, // issue 23: the recorded manifest
            { engine, reloadSeconds },
          );
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
                engine,
                predictedWriteUnavailableSeconds: r.prediction?.writeUnavailableSeconds,
                predictedOutageSeconds: r.prediction?.outageSeconds,
                prediction: r.prediction,
                sizes: r.sizes,
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
              engine,
              prediction: r.prediction,
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
    ...predictionLines(r.prediction),
    ...sizeLines(r),
    'restore into the copy:',
    ...r.restore.steps.map(row),
    'upgrade of the copy:',
    ...(r.upgrade?.steps ?? []).map(row),
    `copy removed: ${r.removed ? 'yes' : 'NO (remove <root>-rehearsal and the _rehearsal database by hand)'}`,
  ].join('\n');
}

function predictionLines(p: Prediction | undefined): string[] {
  if (!p) return ['prediction: none (the rehearsal did not run the whole window)'];
  const outage =
    p.engine === 'copy' ? 'outage (the switch: readers may wait)' : 'outage (maintenance on -> off)';
  return [
    `engine: ${p.engine}`,
    `predicted writes unavailable: ${p.writeUnavailableSeconds.toFixed(2)} s`,
    `predicted ${outage}: ${p.outageSeconds.toFixed(2)} s`,
    ...(p.copyBytesPerSecond ? [`  the copy ran at ${(p.copyBytesPerSecond / 1e6).toFixed(1)} MB/s`] : []),
    ...p.parts.map((x) => `  ${x.id.padEnd(36)} ${x.seconds.toFixed(2).padStart(7)} s ${x.basis}`),
  ];
}

function sizeLines(r: RehearsalResult): string[] {
  const z = r.sizes;
  const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
  return [
    ...(z?.copyNeedsBytes !== undefined && r.engine === 'copy'
      ? [`the upgrade by copy needs ${mb(z.copyNeedsBytes)} free on the database server (upgrade:check-copy)`]
      : []),
    ...(z?.warning ? [`warning: ${z.warning}`] : []),
  ];
}
