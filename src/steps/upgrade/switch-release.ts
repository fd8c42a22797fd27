import type { Host } from '../../hosts/host.js';
import type { Action, Step, StepContext } from '../step.js';
import { fixedLayout } from './context.js';

/** Point `current` at releases/<name> atomically: a symlink beside it, renamed over it (rename(2), mv -T). */
export function switchActions(ctx: StepContext, name: string): Action[] {
  const l = fixedLayout(ctx);
  // one process: every command started inside the maintenance window costs downtime on a busy server
  const script = 'ln -sfn "$1" "$2.new" && mv -Tf "$2.new" "$2"';
  return [
    {
      kind: 'run',
      description: `atomic switch of current to ${name} (symlink beside it, rename over it)`,
      command: { sudo: true, argv: ['sh', '-c', script, 'switch', `releases/${name}`, l.currentLink] },
    },
  ];
}

export async function currentIs(ctx: StepContext, host: Host, name: string): Promise<boolean> {
  const r = await host.run({ argv: ['readlink', fixedLayout(ctx).currentLink] });
  return r.code === 0 && r.stdout.trim() === `releases/${name}`;
}

export function switchStep(id: string, title: string, release: (ctx: StepContext) => string): Step {
  return {
    id,
    title,
    policyRef: 'deploy.phase2.install-base',
    plan: (ctx) => switchActions(ctx, release(ctx)),
    isDone: (ctx, host) => currentIs(ctx, host, release(ctx)),
  };
}
