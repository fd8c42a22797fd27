import type { Step, StepContext } from '../../steps/step.js';
import { backupOf } from '../context.js';

/** Inside a backup directory: the id of the run that created it (a resumed run finds its own directory by it). */
export const backupOwnerFile = '.mokodeploy-run';

const runOf = (ctx: StepContext): string => String(ctx.facts.runId ?? ctx.facts.stamp);

/**
 * Policy Phase 1 "Backup production / Store backups securely": <backupRoot>/<stamp>/ owned by root, 0700. A backup
 * directory is written once (issue 13): it is created with a plain `mkdir` (no -p), which fails when it exists, so
 * a run never writes into another run's backup; the creating run's id is written inside, so the same run resumed
 * after a kill knows the directory is its own.
 */
export const prepareBackup: Step = {
  id: 'backup:prepare',
  title: 'Create the backup directory (0700, a new one: refused if it exists)',
  policyRef: 'deploy.phase1.backup-production',
  plan(ctx) {
    const b = backupOf(ctx);
    // the root may exist; the backup's own directory must not
    const script =
      'mkdir -p -m 700 "$1" && chmod 700 "$1" && mkdir -m 700 "$2" && printf "%s\\n" "$3" > "$2/$4" && mkdir -m 700 "$2/tables"';
    return [
      {
        kind: 'run',
        description: `create ${b.dir} (refused if it exists: a backup is written once)`,
        command: {
          sudo: true,
          argv: ['sh', '-c', script, 'prepare-backup', b.root, b.dir, runOf(ctx), backupOwnerFile],
        },
      },
    ];
  },
  /** Done when the directory exists and this run (or the run it resumes) created it. */
  async isDone(ctx, host) {
    const b = backupOf(ctx);
    const owner = await host.run({ sudo: true, argv: ['cat', '--', `${b.dir}/${backupOwnerFile}`] });
    return (
      owner.code === 0 &&
      owner.stdout.trim() === runOf(ctx) &&
      (await host.run({ sudo: true, argv: ['test', '-d', b.tablesDir] })).code === 0
    );
  },
};
