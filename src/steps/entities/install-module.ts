import { copyModuleActions } from '../install/install-custom-modules.js';
import { rootOwnedTree, sudoRun } from '../install/root-owned-tree.js';
import type { Step } from '../step.js';
import { entityLayout, entityTool } from './context.js';
import { multicompanyModule } from './module-name.js';

/**
 * On an existing install (kind multi-entity): the multicompany custom module into current/htdocs/custom with the
 * install's own copy actions and modes, then enabled through activateModule() in the master entity (its descriptor
 * is core_enabled: MAIN_MODULE_MULTICOMPANY lands in entity 0, every entity has it). A new install does this in
 * install:custom-modules and install:modules instead.
 */
export const installMulticompany: Step = {
  id: 'entities:module',
  title: 'Install and enable the multicompany module',
  policyRef: 'deploy.multi-entity.configure-entities',
  plan(ctx) {
    const m = ctx.plan.customModules.find((c) => c.name === multicompanyModule);
    if (!m) return [];
    const custom = `${entityLayout(ctx).currentHtdocs}/custom`;
    return [
      sudoRun('custom directory', ['mkdir', '-p', custom]),
      ...copyModuleActions(m.name, m.source, custom),
      ...rootOwnedTree(custom, ctx.policy.procedures.fileModes, 'custom modules'),
      {
        kind: 'run',
        description: 'enable modMultiCompany',
        command: entityTool(ctx, 'enable-modules.php', 1, { modules: ['modMultiCompany'] }),
      },
    ];
  },
};
