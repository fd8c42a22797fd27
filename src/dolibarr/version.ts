/**
 * Reading Dolibarr's version from a release's source files.
 *
 * Up to 22.x: `htdocs/filefunc.inc.php` holds `define('DOL_VERSION', '20.0.2')` (l.38 in 20.0.2, l.37 in 19.0.4).
 * From 23.0 (develop): `htdocs/version.inc.php` defines DOL_MAJOR_VERSION and builds
 * `DOL_VERSION = DOL_MAJOR_VERSION.'.'.DOL_MINOR_VERSION`, DOL_MINOR_VERSION being defined in filefunc.inc.php.
 * The reader accepts both layouts (DOLIBARR.md §1).
 */

export interface VersionSources {
  /** Text of htdocs/filefunc.inc.php. */
  filefunc: string;
  /** Text of htdocs/version.inc.php, when the release has one (23.0+). */
  versionInc?: string;
}

const versionPattern = /^\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$/;

function definedString(text: string, name: string): string | undefined {
  const re = new RegExp(`define\\(\\s*['"]${name}['"]\\s*,\\s*['"]([^'"]+)['"]\\s*\\)`);
  return re.exec(text)?.[1];
}

/** DOL_VERSION of a release, or undefined when neither layout is recognised. */
export function readDolVersion(sources: VersionSources): string | undefined {
  const direct =
    definedString(sources.filefunc, 'DOL_VERSION') ?? definedString(sources.versionInc ?? '', 'DOL_VERSION');
  if (direct && versionPattern.test(direct)) return direct;
  const major = definedString(sources.versionInc ?? '', 'DOL_MAJOR_VERSION');
  const minor =
    definedString(sources.filefunc, 'DOL_MINOR_VERSION') ??
    definedString(sources.versionInc ?? '', 'DOL_MINOR_VERSION');
  if (major && minor) {
    const joined = `${major}.${minor}`;
    if (versionPattern.test(joined)) return joined;
  }
  return undefined;
}

/** "20.0.2" -> "20.0.0": the x.y.0 name Dolibarr's migration files use (install/upgrade.php l.~330). */
export function majorMinorZero(version: string): string {
  const [major = '0', minor = '0'] = version.split('.');
  return `${major}.${minor}.0`;
}

/** The version with a pre-release suffix removed: "21.0.0-beta" -> "21.0.0". */
export function baseVersion(version: string): string {
  return version.replace(/-.*$/, '');
}
