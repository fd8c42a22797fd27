import type { Step } from '../step.js';
import { entitiesOf, entityTool } from './context.js';

/**
 * Policy "Entity-specific customization — Set entity-specific modules": each entity's modules through
 * activateModule() with the entity current (enable-modules.php run with `entity`), so MAIN_MODULE_<NAME>, rights
 * and menus are rows of that entity (DolibarrModules::_active(), l.1076).
 */
export const entityModules: Step = {
  id: 'entities:modules',
  title: "Enable each entity's modules",
  policyRef: 'deploy.multi-entity.entity-customization',
  plan(ctx) {
    return entitiesOf(ctx)
      .filter((e) => e.modules.length > 0)
      .map((e) => ({
        kind: 'run' as const,
        description: `entity ${e.id}: enable ${e.modules.join(', ')}`,
        command: entityTool(ctx, 'enable-modules.php', e.id, { modules: e.modules }),
      }));
  },
};
