import { phpTools } from '../../dolibarr/php/index.js';
import type { Step } from '../step.js';
import { layoutOf } from './context.js';

/** Our own small PHP tools (run-install-page, set-constants, …) into <root>/shared/mokodeploy/, root-owned 0644. */
export const writePhpTools: Step = {
  id: 'install:php-tools',
  title: 'Write mokodeploy PHP tools to shared/mokodeploy/',
  policyRef: 'deploy.phase2.install-base',
  plan(ctx) {
    const l = layoutOf(ctx);
    return Object.entries(phpTools).map(([name, source]) => ({
      kind: 'write' as const,
      description: `write ${name}`,
      file: { path: `${l.toolsDir}/${name}`, content: source, mode: 0o644, owner: 'root', group: 'root' },
    }));
  },
};
