import { describe, expect, it } from 'vitest';
import { baseVersion, majorMinorZero, readDolVersion } from '../../../src/dolibarr/version.js';

describe('readDolVersion', () => {
  it('reads DOL_VERSION from filefunc.inc.php (up to 22.x)', () => {
    const filefunc = "if (!defined('DOL_VERSION')) {\n\tdefine('DOL_VERSION', '20.0.2'); // a.b.c-alpha\n}";
    expect(readDolVersion({ filefunc })).toBe('20.0.2');
  });

  it('builds it from DOL_MAJOR_VERSION (version.inc.php) and DOL_MINOR_VERSION (filefunc.inc.php) from 23.0', () => {
    const filefunc = "define('DOL_MINOR_VERSION', '0.0-alpha');";
    const versionInc =
      "define('DOL_MAJOR_VERSION', '23');\ndefine('DOL_VERSION', DOL_MAJOR_VERSION.'.'.DOL_MINOR_VERSION);";
    expect(readDolVersion({ filefunc, versionInc })).toBe('23.0.0-alpha');
  });

  it('returns undefined when no layout matches', () => {
    expect(readDolVersion({ filefunc: '<?php echo 1;' })).toBeUndefined();
  });

  it('names migration versions x.y.0 and drops pre-release suffixes', () => {
    expect(majorMinorZero('20.0.2')).toBe('20.0.0');
    expect(baseVersion('21.0.0-beta')).toBe('21.0.0');
  });
});
