import { inputError } from '../../core/errors.js';
import { targetLayout, type TargetLayout } from '../../dolibarr/layout.js';
import type { TargetState } from '../../backup/target-state.js';
import type { StepContext } from '../step.js';
import type { MigrationPass } from './passes.js';

/**
 * Facts the upgrade and rollback steps plan from (StepContext.facts), next to the install facts (stamp,
 * releaseVersion, …) and the backup facts (backupStamp): what runs now, what the upgrade goes to, how PHP is reloaded.
 */
export interface UpgradeFacts {
  stamp: string;
  /** What was deployed when the run started (release, versions, conf.php checksum). */
  target: TargetState;
  /** The release to switch back to on rollback (the one `current` pointed at before the upgrade). */
  previousRelease: string;
  /** The release being rolled back from (marked bad), when known. */
  badRelease?: string;
  /** Dolibarr's migration passes, one major each (passes.ts). */
  passes: MigrationPass[];
  /** How PHP-FPM is reloaded after a switch (no stale code from OPcache). */
  phpReload: PhpReload;
  /** Why the rollback happens (written into the bad release's marker). */
  reason?: string;
  /** Dolibarr language for step5 (default en_US). */
  lang?: string;
}

export type PhpReload =
  { kind: 'systemd'; service: string } | { kind: 'pidfile'; path: string } | { kind: 'none' };

export function upgradeFacts(ctx: StepContext): UpgradeFacts {
  const facts = ctx.facts as Partial<UpgradeFacts>;
  if (!facts.target || typeof facts.previousRelease !== 'string') {
    throw inputError('upgrade facts lack the current release', {
      fix: 'gather facts with gatherUpgradeFacts() before planning',
    });
  }
  return facts as UpgradeFacts;
}

/** The target's fixed places (release-independent). */
export function fixedLayout(ctx: StepContext): TargetLayout {
  return targetLayout(ctx.plan.target.root, ctx.plan.target.dataRoot, 'unused');
}

/** While this file exists the web server answers 503 (SiteOptions.maintenanceFlag). */
export const maintenanceFlagPath = (root: string): string =>
  `${root.replace(/\/+$/, '')}/shared/maintenance.on`;

/** Written into a release that failed its upgrade (or was rolled back from): never switched to again unattended. */
export const badReleaseMarker = '.mokodeploy-bad';
