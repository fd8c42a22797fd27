import { describe, expect, it } from 'vitest';
import { MokoError } from '../../src/core/errors.js';
import { checkMappingColumns, readMapping } from '../../src/migrate/mapping.js';
import type { Column, TableSchema } from '../../src/migrate/schema.js';
import { csvDir } from '../helpers/migrate-files.js';

function problem(f: () => unknown): MokoError {
  try {
    f();
  } catch (e) {
    if (e instanceof MokoError) return e;
    throw e;
  }
  throw new Error('no error');
}

const column = (name: string, dataType: string, maxLength: number | null = null): Column => ({ name, dataType, maxLength, nullable: true, hasDefault: false, numericPrecision: null, numericScale: null, charset: 'utf8mb3' });
/** A few columns of llx_societe as information_schema gives them. */
const societe: TableSchema = new Map([
  column('nom', 'varchar', 128), column('town', 'varchar', 50), column('zip', 'varchar', 25), column('fk_pays', 'int'), column('client', 'tinyint'), column('datec', 'datetime'), column('email', 'varchar', 128),
].map((c) => [c.name, c]));

describe('migrate mapping errors: where, what is expected, what to run (issue 15)', () => {
  it('an unknown Dolibarr column: its line and the closest column, not a list of 100', () => {
    const path = csvDir().write('m.yaml', ['object: thirdparty', 'key: {from: ID}', 'fields:', '  nom: {from: Name}', '  townn: {from: City}', ''].join('\n'));
    const e = problem(() => checkMappingColumns(readMapping(path), path, 'llx_societe', societe));
    expect(e.details).toEqual([`${path}:5:3 fields.townn: llx_societe has no column "townn" (did you mean "town"?)`]);
    expect(e.fix).toContain('mokodeploy migrate schema mapping');
  });

  it('a wrong type at the value\'s line, with what is expected; an unknown transform with the nearest one', () => {
    const path = csvDir().write('m.yaml', ['object: thirdparty', 'key: {from: ID}', 'fields:', '  nom:', '    from: Name', '    required: "yes"', '  town:', '    from: City', '    transforms: [trimm]', '  zip: Postal Code', ''].join('\n'));
    const e = problem(() => readMapping(path));
    expect(e.details).toEqual([
      `${path}:6:15 fields.nom.required: expected boolean, got "yes"`,
      `${path}:9:18 fields.town.transforms.0: "trimm" is not a transform (did you mean "trim"?); one of: trim, collapse-spaces, email, country, number, integer, boolean, empty-is-null, {case: upper|lower|title}, {date: FORMAT or [FORMATS]}, {phone: {country: FR}}, {map: {...}, otherwise: VALUE}, {default: VALUE}`,
      `${path}:10:8 fields.zip: expected {from: SOURCE COLUMN, transforms: [...], required: true|false} or {value: CONSTANT}, got "Postal Code" (did you mean zip: {from: "Postal Code"}?)`,
    ]);
    expect(e.fix).toBe('correct the fields shown; `mokodeploy migrate schema mapping` prints what a mapping may hold, `mokodeploy migrate map suggest FILE --object KIND` proposes one from a file');
  });

  it('an unknown top-level key at its own line (not 1:1), with the nearest allowed key; an unknown object kind', () => {
    const path = csvDir().write('m.yaml', ['# companies', 'object: thirdpary', 'key: {from: ID}', 'fields: {}', 'feilds:', '  nom: {from: Name}', ''].join('\n'));
    const e = problem(() => readMapping(path));
    expect(e.details).toEqual([
      `${path}:2:9 object: "thirdpary" is not one of: thirdparty, contact, product (did you mean "thirdparty"?)`,
      `${path}:5:1 feilds: unknown field (did you mean "fields"?); allowed here: object, description, key, fields, thirdparty`,
    ]);
  });

  it('text mapped into a number or date column is refused against the live column types, before any row is read', () => {
    const path = csvDir().write('m.yaml', ['object: thirdparty', 'key: {from: ID}', 'fields:', '  nom: {from: Name}', '  fk_pays: {from: Country, transforms: [trim]}', '  client: {from: Type, transforms: [{map: {customer: 1, prospect: 2}}]}', '  datec: {from: Created}', ''].join('\n'));
    const e = problem(() => checkMappingColumns(readMapping(path), path, 'llx_societe', societe));
    expect(e.details).toEqual([
      `${path}:5:3 fields.fk_pays: llx_societe.fk_pays is int, but "Country" goes in as text: add a transform that gives a number (country, integer, number, boolean, or a map to numbers)`,
      `${path}:7:3 fields.datec: llx_societe.datec is datetime, but "Created" goes in as text: add a date transform, e.g. {date: [DD/MM/YYYY, YYYY-MM-DD]}`,
    ]);
    const fixed = csvDir().write('m.yaml', ['object: thirdparty', 'key: {from: ID}', 'fields:', '  fk_pays: {from: Country, transforms: [country]}', '  datec: {from: Created, transforms: [{date: YYYY-MM-DD}]}', ''].join('\n'));
    expect(() => checkMappingColumns(readMapping(fixed), fixed, 'llx_societe', societe)).not.toThrow();
    for (const name of ['crm-companies', 'crm-contacts', 'crm-products']) expect(readMapping(`default:${name}`).object).toBeDefined();
  });
});
