import type { Step } from '../step.js';
import { layoutOf } from './context.js';

/**
 * Point <root>/current at the new release atomically (symlink beside it, then rename(2) over it with mv -T).
 * For a fresh install it runs right after extraction: conf.php's document root is <root>/current/htdocs
 * (one conf.php for every release), so the installer and our tools need `current` before the web site exists.
 */
export const switchCurrent: Step = {
  id: 'install:switch-current',
  title: 'Switch the current symlink to the new release',
  policyRef: 'deploy.phase2.install-base',
  plan(ctx) {
    const l = layoutOf(ctx);
    const tmp = `${l.currentLink}.new`;
    return [
      {
        kind: 'run',
        description: 'new symlink beside current',
        command: { sudo: true, argv: ['ln', '-sfn', `releases/${l.releaseName}`, tmp] },
      },
      {
        kind: 'run',
        description: 'atomic rename over current',
        command: { sudo: true, argv: ['mv', '-Tf', tmp, l.currentLink] },
      },
    ];
  },
  async isDone(ctx, host) {
    const l = layoutOf(ctx);
    const r = await host.run({ sudo: true, argv: ['readlink', l.currentLink] });
    return r.code === 0 && r.stdout.trim() === `releases/${l.releaseName}`;
  },
};
