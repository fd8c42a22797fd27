import { describe, expect, it } from 'vitest';
import { versionArray, versionCompare } from '../../../src/dolibarr/versioncompare.js';

describe('versionCompare (admin.lib.php versioncompare semantics)', () => {
  it('returns the level of the first difference with its sign', () => {
    expect(versionCompare(['20', '0', '2'], ['19', '0', '4'])).toBe(1);
    expect(versionCompare(['20', '0', '2'], ['20', '1'])).toBe(-2);
    expect(versionCompare(['20', '0', '2'], ['20', '0', '2'])).toBe(0);
  });

  it('counts missing levels as 0', () => {
    expect(versionCompare(['8', '2'], [8, 2, 0])).toBe(0);
    expect(versionCompare(['8', '2', '1'], [8, 2])).toBe(3);
  });

  it('ranks alpha/dev < beta < betaN < rc < rcN < release', () => {
    const order = ['0-alpha', '0-beta', '0-beta2', '0-rc', '0-rc1', '0'];
    for (let i = 0; i + 1 < order.length; i++) {
      expect(versionCompare(['21', '0', order[i]!], ['21', '0', order[i + 1]!])).toBe(-3);
    }
  });

  it('handles Dolibarr minimum arrays with negative levels like array(19, -3)', () => {
    expect(versionCompare(versionArray('19.0.4'), [19, -3])).toBe(2);
    expect(versionCompare(versionArray('18.0.5'), [19, -3])).toBe(-1);
  });
});
