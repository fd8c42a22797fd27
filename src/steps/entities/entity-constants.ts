import type { Step } from '../step.js';
import { entitiesOf, entityTool } from './context.js';

/** Policy "Configure entities — Set up entity-specific settings": constants of each entity (dolibarr_set_const in it). */
export const entityConstants: Step = {
  id: 'entities:constants',
  title: "Set each entity's constants",
  policyRef: 'deploy.multi-entity.configure-entities',
  plan(ctx) {
    return entitiesOf(ctx)
      .filter((e) => e.constants.length > 0)
      .map((e) => ({
        kind: 'run' as const,
        description: `entity ${e.id}: ${e.constants.map((c) => c.name).join(', ')}`,
        command: entityTool(ctx, 'set-constants.php', e.id, { constants: e.constants }),
      }));
  },
};
