import type { Step, StepContext } from '../step.js';
import { installFacts } from './context.js';

/**
 * Issue 14 point 4: the directories the plan names for our config files (target.cronDir,
 * target.phpFpmPoolDir, target.webConfigDir) are created when missing — root-owned, 0755, like
 * /etc/cron.d — instead of failing later with "Directory nonexistent". An existing directory is left
 * exactly as it is (its owner and mode are the administrator's). Paths go as positional parameters.
 */
export function namedConfigDirs(ctx: StepContext): string[] {
  const t = ctx.plan.target;
  const dirs = [installFacts(ctx).cronDir ?? t.cronDir, t.phpFpmPoolDir, t.webConfigDir];
  return [...new Set(dirs.filter((d): d is string => Boolean(d)).map((d) => d.replace(/(.)\/+$/, '$1')))];
}

const script = 'for d do [ -d "$d" ] || install -d -m 0755 -o root -g root -- "$d" || exit 1; done';

export const createConfigDirs: Step = {
  id: 'install:config-dirs',
  title: 'Create the config directories the plan names (cron, PHP-FPM pools, web sites) when missing',
  policyRef: 'deploy.phase2.install-base',
  plan(ctx) {
    const dirs = namedConfigDirs(ctx);
    if (dirs.length === 0) return [];
    return [
      {
        kind: 'run',
        description: `create when missing (root, 0755): ${dirs.join(', ')}`,
        command: { sudo: true, argv: ['sh', '-c', script, 'config-dirs', ...dirs] },
      },
    ];
  },
};
