import { integrationTools } from '../../integrations/php/index.js';
import type { Step } from '../step.js';
import { integrationPaths } from './context.js';

/** Our integration PHP tools into <root>/shared/mokodeploy/ (root-owned 0644), as install:php-tools does for its own. */
export const writeIntegrationTools: Step = {
  id: 'integrations:php-tools',
  title: 'Write the integration PHP tools to shared/mokodeploy/',
  policyRef: 'deploy.phase2.configure-integrations',
  plan(ctx) {
    const dir = integrationPaths(ctx).toolsDir;
    return [
      {
        kind: 'run',
        description: `create ${dir}`,
        command: { sudo: true, argv: ['install', '-d', '-m', '0755', '-o', 'root', '-g', 'root', dir] },
      },
      ...Object.entries(integrationTools).map(([name, source]) => ({
        kind: 'write' as const,
        description: `write ${name}`,
        file: { path: `${dir}/${name}`, content: source, mode: 0o644, owner: 'root', group: 'root' },
      })),
    ];
  },
};
