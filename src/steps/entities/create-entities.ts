import type { Step } from '../step.js';
import { entitiesOf, entityTool } from './context.js';

/**
 * Policy "Multi-Entity Deployment / Configure entities — Create entity structure": entities 2..N through the
 * module's DaoMulticompany::create() (src/entities/php/create-entities.ts), as the superadmin, in id order; the
 * master entity 1, when the plan lists it, gets the plan's label through DaoMulticompany::update().
 */
export const createEntities: Step = {
  id: 'entities:create',
  title: 'Create the entities (multicompany)',
  policyRef: 'deploy.multi-entity.configure-entities',
  plan(ctx) {
    const listed = entitiesOf(ctx);
    if (!listed.some((e) => e.id > 1)) return [];
    const said = (e: (typeof listed)[number]) => `${e.id} ${e.label}${e.id === 1 ? ' (master, label)' : ''}`;
    return [
      {
        kind: 'run',
        description: `entities ${listed.map(said).join(', ')}`,
        command: entityTool(ctx, 'create-entities.php', 1, {
          entities: listed.map((e) => ({ id: e.id, label: e.label, description: e.description })),
        }),
      },
    ];
  },
};
