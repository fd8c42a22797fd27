import type { Step } from '../step.js';
import { badReleaseMarker, fixedLayout, upgradeFacts } from '../upgrade/context.js';

/** A release that failed its upgrade (or was rolled back from) gets a marker with the reason: never switched to unattended. */
export const markBadRelease: Step = {
  id: 'rollback:mark-bad',
  title: 'Mark the release rolled back from as bad',
  policyRef: 'rollback.process',
  plan(ctx) {
    const f = upgradeFacts(ctx);
    if (!f.badRelease) return [];
    const dir = `${fixedLayout(ctx).releasesDir}/${f.badRelease}`;
    const text = JSON.stringify({ release: f.badRelease, reason: f.reason ?? 'rolled back', at: f.stamp });
    // a release that was never extracted has nothing to mark
    const script = `[ ! -d "$1" ] || printf '%s\\n' "$2" > "$1/${badReleaseMarker}"`;
    return [
      {
        kind: 'run',
        description: `mark ${f.badRelease} bad`,
        command: { sudo: true, argv: ['sh', '-c', script, 'mark-bad', dir, text] },
      },
    ];
  },
};
