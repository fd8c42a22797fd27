import type { ModuleDescriptor } from './module-descriptor.js';
import { versionArray, versionCompare, versionToString } from './versioncompare.js';

/**
 * Would Dolibarr accept to enable this module? Same tests, same order as `activateModule()`
 * (htdocs/core/lib/admin.lib.php l.1125-1170, 20.0.2): phpmin against PHP_VERSION, then
 * need_dolibarr_version against DOL_VERSION, with versioncompare() semantics.
 * We also check phpmax and max_dolibarr_version, which Dolibarr declares (DolibarrModules.class.php)
 * but activateModule() does not enforce: a module declaring a maximum is telling us something.
 */
export interface CompatibilityTarget {
  phpVersion: string;
  dolibarrVersion: string;
}

export function moduleCompatibilityProblems(mod: ModuleDescriptor, target: CompatibilityTarget): string[] {
  const php = versionArray(target.phpVersion);
  const dol = versionArray(target.dolibarrVersion);
  const problems: string[] = [];
  if (mod.phpmin && versionCompare(php, mod.phpmin) < 0)
    problems.push(
      `${mod.className} needs PHP >= ${versionToString(mod.phpmin)}, target has ${target.phpVersion}`,
    );
  // a maximum of [8, 3] covers every 8.3.x: compare only the levels the maximum names
  if (mod.phpmax && versionCompare(php.slice(0, mod.phpmax.length), mod.phpmax) > 0)
    problems.push(
      `${mod.className} supports PHP <= ${versionToString(mod.phpmax)}, target has ${target.phpVersion}`,
    );
  if (mod.needDolibarrVersion && versionCompare(dol, mod.needDolibarrVersion) < 0)
    problems.push(
      `${mod.className} needs Dolibarr >= ${versionToString(mod.needDolibarrVersion)}, release is ${target.dolibarrVersion}`,
    );
  if (
    mod.maxDolibarrVersion &&
    versionCompare(dol.slice(0, mod.maxDolibarrVersion.length), mod.maxDolibarrVersion) > 0
  )
    problems.push(
      `${mod.className} supports Dolibarr <= ${versionToString(mod.maxDolibarrVersion)}, release is ${target.dolibarrVersion}`,
    );
  return problems;
}
