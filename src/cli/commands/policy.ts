import type { CommandModule } from './module.js';
import { describePolicy } from '../render/policy.js';

export const policyCommands: CommandModule = {
  register(program, app) {
    const policy = program.command('policy').description('the deployment policy as data');
    policy
      .command('show')
      .description('print the policy the tool enforces (--json for all of it)')
      .action(() => {
        const p = app().policy();
        app().out.result(p, () => describePolicy(p));
      });
  },
};
