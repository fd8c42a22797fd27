import { describe, expect, it } from 'vitest';
import { parseInventory } from '../../../src/backup/inventory.js';
import {
  compareInventories,
  describeChanges,
  mergeChanges,
  stampEpoch,
} from '../../../src/steps/rollback/changes.js';

const inv = (rows: string, sums: string) => parseInventory(rows, sums);

describe('what a rollback would discard (issue 25)', () => {
  const backup = inv('llx_const\t18\nllx_product\t2\nllx_societe\t3\n', 'llx_const\t1\nllx_product\t2\nllx_societe\t3\n');

  it('rows added, rows changed, tables new and gone, by name', () => {
    const live = inv(
      'llx_const\t18\nllx_new\t1\nllx_societe\t4\n',
      'llx_const\t9\nllx_new\t5\nllx_societe\t7\n',
    );
    const c = compareInventories(backup, live);
    expect(describeChanges({ tables: c, documents: ['societe/4/a.pdf'] })).toEqual([
      'llx_const: rows changed (checksum differs, 18 rows)',
      'llx_new: new table, 1 rows',
      'llx_product: -2 rows (2 -> 0), changed',
      'llx_societe: +1 rows (3 -> 4)',
      'document societe/4/a.pdf',
    ]);
  });

  it('an identical site has nothing to discard', () => {
    expect(compareInventories(backup, backup)).toEqual([]);
  });

  it('adds up the writes before the switch and after the upgrade, leaving the migration out', () => {
    const beforeSwitch = inv('llx_product\t2\nllx_societe\t4\n', 'llx_product\t2\nllx_societe\t8\n');
    const afterUpgrade = inv('llx_product\t2\nllx_societe\t4\n', 'llx_product\t99\nllx_societe\t8\n');
    const live = inv('llx_product\t2\nllx_societe\t6\n', 'llx_product\t99\nllx_societe\t5\n');
    const c = mergeChanges(
      compareInventories(inv('llx_product\t2\nllx_societe\t3\n', 'llx_product\t2\nllx_societe\t3\n'), beforeSwitch),
      compareInventories(afterUpgrade, live),
    );
    expect(c).toEqual([{ table: 'llx_societe', before: 3, now: 6, added: 3, changed: false }]);
  });

  it("the backup's UTC stamp as find's -newermt", () => {
    expect(stampEpoch('20261206070152')).toBe(`@${Date.UTC(2026, 11, 6, 7, 1, 52) / 1000}`);
  });
});
