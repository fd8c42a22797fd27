import type { Plan } from '../../core/plan.js';
import { refused } from '../../core/errors.js';
import type { Step } from '../step.js';
import { createEntities } from './create-entities.js';
import { entityBranding } from './entity-branding.js';
import { entityCompany } from './entity-company.js';
import { entityConstants } from './entity-constants.js';
import { entityModules } from './entity-modules.js';
import { entityUsers } from './entity-users.js';
import { installMulticompany } from './install-module.js';
import { multicompanyModule } from './module-name.js';
import { writeEntityTools } from './php-tools.js';

export { multicompanyModule };

/**
 * Issue 18, policy "Multi-Entity Deployment": configure entities (create, company, settings), entity-specific
 * customization (modules, branding) and data segregation (users in their entity). Runs after an install (the
 * multicompany module is a custom module of the plan, enabled by install:modules) or on its own on an existing
 * install (kind multi-entity). Modules come before users: rights exist only for modules enabled in the entity.
 */
export function entitiesPipeline(o: { standalone?: boolean } = {}): Step[] {
  return [
    writeEntityTools,
    ...(o.standalone ? [installMulticompany] : []),
    createEntities,
    entityCompany,
    entityModules,
    entityConstants,
    entityBranding,
    entityUsers,
  ];
}

/** A plan with entities beyond the master one must bring the multicompany module; refused before any command. */
export function checkEntitiesPlan(plan: Plan): void {
  if (!plan.entities.some((e) => e.id > 1)) return;
  if (plan.customModules.some((m) => m.name === multicompanyModule)) return;
  throw refused(`the plan has entities but no "${multicompanyModule}" custom module`, {
    fix: `add it to customModules (name: ${multicompanyModule}, source: the module's .tgz or directory on the target), e.g. the GPL module of inodbox`,
  });
}
