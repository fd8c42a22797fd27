/**
 * What Dolibarr's own install check (htdocs/install/check.php) asks of PHP, per shared/DOLIBARR.md §1.
 * Read from Dolibarr 19.0.4 and 22.0.2; other majors are reported as not known rather than guessed.
 */

/** check.php warns above this PHP version ("arrayphpmaxversionwarning"). */
const maxPhpByDolibarrMajor: Record<number, string> = {
  19: '8.2', // 19.0.4 check.php: warning above 8.2.0
  22: '8.4', // 22.0.2 check.php: warning above 8.4.0
};

export function maxPhpFor(dolibarrVersion: string): string | undefined {
  return maxPhpByDolibarrMajor[Number(dolibarrVersion.split('.')[0])];
}

export interface PhpRequirement {
  name: string;
  /** How check.php tests it. */
  probe: { extension: string } | { function: string } | { class: string };
  /** Required by the policy (fail when missing) or only recommended (warn). */
  required: boolean;
  note?: string;
}

/** check.php tests these (all warnings there); the policy makes the ones Dolibarr needs to work required. */
export const phpRequirements: PhpRequirement[] = [
  {
    name: 'mysqli',
    probe: { extension: 'mysqli' },
    required: true,
    note: 'database driver core/db/mysqli.class.php',
  },
  { name: 'session', probe: { extension: 'session' }, required: true },
  { name: 'mbstring', probe: { extension: 'mbstring' }, required: true },
  { name: 'json', probe: { extension: 'json' }, required: true },
  { name: 'gd', probe: { function: 'imagecreate' }, required: true },
  { name: 'curl', probe: { extension: 'curl' }, required: true },
  { name: 'calendar', probe: { function: 'easter_date' }, required: true },
  { name: 'simplexml', probe: { extension: 'simplexml' }, required: true },
  { name: 'xml', probe: { function: 'utf8_encode' }, required: true },
  { name: 'intl', probe: { function: 'locale_get_primary_language' }, required: true },
  { name: 'zip', probe: { class: 'ZipArchive' }, required: true },
  {
    name: 'imap',
    probe: { function: 'imap_open' },
    required: false,
    note: 'only tested by check.php on PHP <= 8.3.0 (email collector)',
  },
];

/** check.php: memory_limit below this is a warning. */
export const minPhpMemoryBytes = 64 * 1024 * 1024;
export const phpSource = 'Dolibarr htdocs/install/check.php (shared/DOLIBARR.md §1)';
