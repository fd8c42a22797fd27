import type { Host } from '../../hosts/host.js';
import type { Action, Step, StepContext } from '../step.js';
import { fixedLayout } from './context.js';

/** Point `current` at releases/<name> atomically: a symlink beside it, renamed over it (rename(2), mv -T). */
export function switchActions(ctx: StepContext, name: string): Action[] {
  const l = fixedLayout(ctx);
  const tmp = `${l.currentLink}.new`;
  return [
    { kind: 'run', description: 'new symlink beside current', command: { argv: ['ln', '-sfn', `releases/${name}`, tmp] } },
    { kind: 'run', description: `atomic rename over current (-> ${name})`, command: { argv: ['mv', '-Tf', tmp, l.currentLink] } },
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
