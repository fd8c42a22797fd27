import { entityPhpTools } from '../../entities/php/index.js';
import type { Step } from '../step.js';
import { entityLayout } from './context.js';

/** The entity steps' PHP tools into <root>/shared/mokodeploy/, root-owned 0644 like the install's. */
export const writeEntityTools: Step = {
  id: 'entities:php-tools',
  title: 'Write the entity tools to shared/mokodeploy/',
  policyRef: 'deploy.multi-entity.configure-entities',
  plan(ctx) {
    if (ctx.plan.entities.length === 0) return [];
    const dir = entityLayout(ctx).toolsDir;
    return Object.entries(entityPhpTools).map(([name, source]) => ({
      kind: 'write' as const,
      description: `write ${name}`,
      file: { path: `${dir}/${name}`, content: source, mode: 0o644, owner: 'root', group: 'root' },
    }));
  },
};
