import type { CommandModule } from './module.js';
import { upgradeDeployment } from '../engine/upgrade-run.js';
import { withEngineOptions, type EngineCliOptions } from '../engine/setup.js';

/** `mokodeploy upgrade <id>`: the upgrade of issue 5 on the deployment's target (see engine/upgrade-run.ts). */
export const upgradeCommands: CommandModule = {
  register(program, app) {
    withEngineOptions(
      program
        .command('upgrade <id>')
        .description(
          'upgrade Dolibarr: verified backup, new release beside the old, one major per pass, automatic rollback on failure',
        ),
    ).action(async (id: string, o: EngineCliOptions) => upgradeDeployment(app(), id, o));
  },
};
