/**
 * Dolibarr's version comparison, same semantics as `versioncompare()` in htdocs/core/lib/admin.lib.php
 * (l.68-121 in 20.0.2): arrays compared level by level, missing levels count as 0, and the words
 * alpha/dev = -5, beta = -4, betaN = -3, rc = -2, rcN = -1. Returns -level, 0 or +level.
 */

export type VersionArray = readonly (number | string)[];

function operand(value: number | string | undefined): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  if (/alpha|dev/i.test(value)) return -5;
  if (/beta$/i.test(value)) return -4;
  if (/beta([0-9])+/i.test(value)) return -3;
  if (/rc$/i.test(value)) return -2;
  if (/rc([0-9])+/i.test(value)) return -1;
  // PHP compares a numeric string numerically; a non-numeric leftover compares like 0 (PHP 8 semantics differ only for exotic input)
  const n = Number.parseInt(value, 10);
  return Number.isNaN(n) ? 0 : n;
}

export function versionCompare(a: VersionArray, b: VersionArray): number {
  const max = Math.max(a.length, b.length);
  for (let level = 1; level <= max; level++) {
    const x = operand(a[level - 1]);
    const y = operand(b[level - 1]);
    if (x < y) return -level;
    if (x > y) return level;
  }
  return 0;
}

/** `explode('.', DOL_VERSION)` / `explode('.', PHP_VERSION)` as in versiondolibarrarray()/versionphparray(). */
export function versionArray(version: string): string[] {
  return version.split('.');
}

/** "7.1" style text of a version array, as `versiontostring()` prints it. */
export function versionToString(version: VersionArray): string {
  return version.join('.');
}
