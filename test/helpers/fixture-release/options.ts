export interface FixtureOptions {
  /** e.g. "20.0.2": the tarball is dolibarr-<version>.tgz with top directory dolibarr-<version>/. */
  version: string;
  /** Use the 23.0+ split layout (htdocs/version.inc.php). Default: major >= 23. */
  splitVersionFile?: boolean;
}

export function withDefaults(o: FixtureOptions): Required<FixtureOptions> {
  const major = Number(o.version.split('.')[0]);
  return { version: o.version, splitVersionFile: o.splitVersionFile ?? major >= 23 };
}
