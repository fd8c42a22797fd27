import type { Step } from '../step.js';
import { layoutOf } from './context.js';
import { testExists } from './tool-command.js';

/** Marker written last, so a crash mid-extraction is re-done rather than taken for a finished release. */
export const extractedMarker = '.mokodeploy-extracted';

/**
 * Policy Phase 2 step 1 "Extract Dolibarr files", into releases/<version>-<stamp>/ (the tarball's
 * top directory dolibarr-X.Y.Z/ stripped) instead of /var/www/html/dolibarr (DESIGN.md "On the target").
 */
export const extractRelease: Step = {
  id: 'install:extract-release',
  title: 'Extract the release into releases/<version>-<stamp>/',
  policyRef: 'deploy.phase2.install-base',
  plan(ctx) {
    const l = layoutOf(ctx);
    return [
      {
        kind: 'run',
        description: 'remove a half-extracted copy',
        command: { sudo: true, argv: ['rm', '-rf', '--', l.releaseDir] },
      },
      {
        kind: 'run',
        description: `create ${l.releaseDir}`,
        command: { sudo: true, argv: ['mkdir', '-p', l.releaseDir] },
      },
      {
        kind: 'run',
        description: `extract ${ctx.plan.dolibarr.release}`,
        command: {
          sudo: true,
          argv: [
            'tar',
            '-xzf',
            ctx.plan.dolibarr.release,
            '-C',
            l.releaseDir,
            '--strip-components=1',
            '--no-same-owner',
          ],
          timeoutMs: 600_000,
        },
      },
      {
        kind: 'write',
        description: 'mark the release as complete',
        file: {
          path: `${l.releaseDir}/${extractedMarker}`,
          content: `${ctx.plan.dolibarr.version}\n`,
          mode: 0o644,
        },
      },
    ];
  },
  async isDone(ctx, host) {
    return (await host.run(testExists(`${layoutOf(ctx).releaseDir}/${extractedMarker}`))).code === 0;
  },
};
