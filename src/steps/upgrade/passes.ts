import { majorMinorZero } from '../../dolibarr/version.js';

/**
 * Dolibarr's upgrade, one major per pass (DOLIBARR.md §4): install/upgrade.php FROM TO runs only the migration
 * files named ^FROMx.y.0- or -TOx.y.0.sql$, so 19 -> 21 is 19.0.0 -> 20.0.0 then 20.0.0 -> 21.0.0, as the web
 * wizard offers it (install/check.php l.480-570: versionfrom/versionto from the migration file names, action
 * upgrade_<to> for an intermediate pass and plain `upgrade` for the last). A minor upgrade (20.0.1 -> 20.0.2) is
 * one pass, 19.0.0 -> 20.0.0, which re-runs the idempotent 19.0.0-20.0.0.sql.
 */
export interface MigrationPass {
  from: string;
  to: string;
  /** step5.php action: `upgrade_<to>` for an intermediate pass, `upgrade` for the last (DB set to DOL_VERSION). */
  step5Action: string;
}

export function migrationPasses(dbVersion: string, targetVersion: string): MigrationPass[] {
  const fromMajor = Number(dbVersion.split('.')[0]);
  const toMajor = Number(targetVersion.split('.')[0]);
  if (!Number.isInteger(fromMajor) || !Number.isInteger(toMajor) || toMajor < fromMajor) return [];
  const majors: [number, number][] = [];
  if (fromMajor === toMajor) majors.push([toMajor - 1, toMajor]);
  for (let m = fromMajor; m < toMajor; m++) majors.push([m, m + 1]);
  return majors.map(([a, b], i) => ({
    from: i === 0 && fromMajor !== toMajor ? majorMinorZero(dbVersion) : `${a}.0.0`,
    to: `${b}.0.0`,
    step5Action: i === majors.length - 1 ? 'upgrade' : `upgrade_${b}.0.0`,
  }));
}
