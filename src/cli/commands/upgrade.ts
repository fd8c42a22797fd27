import type { CommandModule } from './module.js';
import { upgradeDeployment } from '../../app/engine/upgrade-run.js';
import { withEngineOptions } from '../../app/engine/setup.js';
import type { UpgradeCliOptions } from '../../app/engine/upgrade-run.js';
import { enqueueCommand, queueFlag, queued } from './worker-queue.js';
import type { Command } from 'commander';

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
      .addOption(queueFlag())
      .action(async (id: string, o: UpgradeCliOptions, cmd: Command) =>
        queued(cmd) ? enqueueCommand(app(), cmd) : upgradeDeployment(app(), id, o),
      );
  },
};
