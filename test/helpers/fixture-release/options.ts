export interface FixtureOptions {
  /** e.g. "20.0.2": the tarball is dolibarr-<version>.tgz with top directory dolibarr-<version>/. */
  version: string;
  /** Use the 23.0+ split layout (htdocs/version.inc.php). Default: major >= 23. */
  splitVersionFile?: boolean;
  /**
   * Issue 5 fault injection: the migration to this version changes data (third-party names) and then fails on a
   * missing table, so upgrade.php exits 1 with the database half-migrated, as a real failed migration leaves it.
   */
  brokenMigration?: boolean;
  /** Leave out scripts/ as the public 20.0.2 tarball does (no CLI cron runner; public/cron/ page only). */
  withoutScripts?: boolean;
  /** Leave out htdocs/custom/ as the public 20.0.2 tarball does (19.0.4 ships it with a README.md). */
  withoutCustom?: boolean;
}

export function withDefaults(o: FixtureOptions): Required<FixtureOptions> {
  const major = Number(o.version.split('.')[0]);
  return { version: o.version, splitVersionFile: o.splitVersionFile ?? major >= 23, brokenMigration: o.brokenMigration ?? false, withoutScripts: o.withoutScripts ?? false, withoutCustom: o.withoutCustom ?? false };
}
