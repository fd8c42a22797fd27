import type { Action, Step } from '../step.js';
import { entitiesOf, entityTool } from './context.js';

/**
 * The company of each entity (MAIN_INFO_SOCIETE_*, MAIN_MONNAIE) and its language (MAIN_LANG_DEFAULT), set in
 * the entity with the install's own tools (set-company.php, set-constants.php), as the module's admin page does
 * for a new entity (actions_multicompany.class.php l.1290-1298).
 */
export const entityCompany: Step = {
  id: 'entities:company',
  title: "Set each entity's company, currency and language",
  policyRef: 'deploy.multi-entity.configure-entities',
  plan(ctx) {
    return entitiesOf(ctx).flatMap((e): Action[] => {
      const actions: Action[] = [];
      if (e.company)
        actions.push({
          kind: 'run',
          description: `entity ${e.id}: company ${e.company.name} (${e.company.country}${e.company.currency ? `, ${e.company.currency}` : ''})`,
          command: entityTool(ctx, 'set-company.php', e.id, { company: e.company }),
        });
      if (e.language)
        actions.push({
          kind: 'run',
          description: `entity ${e.id}: language ${e.language}`,
          command: entityTool(ctx, 'set-constants.php', e.id, {
            constants: [{ name: 'MAIN_LANG_DEFAULT', value: e.language }],
          }),
        });
      return actions;
    });
  },
};
