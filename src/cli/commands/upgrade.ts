import type { CommandModule } from './module.js';
import { upgradeDeployment } from '../../app/engine/upgrade-run.js';
import { withEngineOptions } from '../../app/engine/setup.js';
import type { UpgradeCliOptions } from '../../app/engine/upgrade-run.js';
import { enqueueCommand, queueFlag, queued } from './worker-queue.js';
import type { Command } from 'commander';
import type { AppContext } from '../../app/context.js';
import { refused } from '../../core/errors.js';
import { loadRecord } from './records.js';
import { dryRun } from './deploy.js';

/** The upgrade's listing (the one `deploy --dry-run` prints for an upgrade plan), with the engine asked for. */
async function dryRunUpgrade(a: AppContext, id: string, o: UpgradeCliOptions): Promise<void> {
  const kind = (await loadRecord(a, id)).record.plan.kind;
  if (kind !== 'upgrade' && kind !== 'customization')
    throw refused(`${id} is a "${kind}" deployment, not an upgrade or a customization`, {
      fix: `list its commands with: mokodeploy deploy ${id} --dry-run`,
    });
  await dryRun(a, id, o);
}

/** `mokodeploy upgrade <id>`: the upgrade of issue 5 on the deployment's target (see engine/upgrade-run.ts). */
export const upgradeCommands: CommandModule = {
  register(program, app) {
    withEngineOptions(
      program
        .command('upgrade <id>')
        .description(
          'upgrade Dolibarr: verified backup, new release beside the old, the database copied and migrated while the site serves reads, a sub-second switch, automatic rollback on failure',
        ),
    )
      .option(
        '--in-place',
        'migrate the live database in maintenance mode instead of a copy (a server without room for a second copy of the database)',
      )
      .option('--dry-run', 'print every command the upgrade would run, numbered, by step; change nothing')
      .addOption(queueFlag())
      .action(async (id: string, o: UpgradeCliOptions & { dryRun?: boolean }, cmd: Command) => {
        if (queued(cmd)) return enqueueCommand(app(), cmd);
        if (o.dryRun) return dryRunUpgrade(app(), id, o);
        return upgradeDeployment(app(), id, o);
      });
  },
};
