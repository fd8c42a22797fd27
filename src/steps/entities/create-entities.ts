import type { Step } from '../step.js';
import { entitiesOf, entityTool } from './context.js';

/**
 * Policy "Multi-Entity Deployment / Configure entities — Create entity structure": entities 2..N through the
 * module's DaoMulticompany::create() (src/entities/php/create-entities.ts), as the superadmin, in id order.
 */
export const createEntities: Step = {
  id: 'entities:create',
  title: 'Create the entities (multicompany)',
  policyRef: 'deploy.multi-entity.configure-entities',
  plan(ctx) {
    const created = entitiesOf(ctx).filter((e) => e.id > 1);
    if (created.length === 0) return [];
    return [
      {
        kind: 'run',
        description: `entities ${created.map((e) => `${e.id} ${e.label}`).join(', ')}`,
        command: entityTool(ctx, 'create-entities.php', 1, {
          entities: created.map((e) => ({ id: e.id, label: e.label, description: e.description })),
        }),
      },
    ];
  },
};
