import { describe, expect, it } from 'vitest';
import { validateRow } from '../../src/migrate/validate.js';
import { objectDefs } from '../../src/migrate/objects.js';
import { mapRow } from '../../src/migrate/map.js';
import { SourceRow } from '../../src/migrate/source-row.js';
import { readMapping } from '../../src/migrate/mapping.js';
import { rejectsCsv } from '../../src/migrate/write-report.js';
import { dumpArgv } from '../../src/migrate/backup.js';
import { renderReportHtml } from '../../src/migrate/report-html.js';
import { codesNeeded, codeProblem } from '../../src/migrate/codes.js';
import type { Column, TableSchema } from '../../src/migrate/schema.js';
import { csvDir } from '../helpers/migrate-files.js';
import { MokoError } from '../../src/core/errors.js';

const col = (name: string, dataType: string, extra: Partial<Column> = {}): [string, Column] => [
  name, { name, dataType, maxLength: null, nullable: true, hasDefault: false, numericPrecision: null, numericScale: null, charset: null, ...extra },
];
// llx_socpeople columns as information_schema reports them for Dolibarr 20.0.2
const socpeople: TableSchema = new Map([
  col('ref_ext', 'varchar', { maxLength: 255, charset: 'utf8mb3' }),
  col('lastname', 'varchar', { maxLength: 50, charset: 'utf8mb3' }),
  col('email', 'varchar', { maxLength: 255, charset: 'utf8mb3' }),
  col('birthday', 'date'),
  col('statut', 'tinyint', { nullable: false, hasDefault: true }),
  col('priv', 'smallint', { nullable: false, hasDefault: true }),
]);
const row = (values: Record<string, string | number | null>) => ({ line: 7, key: 'P1', values: { ref_ext: 'P1', ...values }, refs: {} });

describe('migrate validate: rows against the live column definitions', () => {
  it('names every problem of a row', () => {
    const problems = validateRow(row({ lastname: 'x'.repeat(51), email: 'a@b', birthday: '17/05/1970', statut: 300 }), objectDefs.contact, socpeople);
    expect(problems.map((p) => p.reason)).toEqual([
      'lastname: 51 characters, the column holds 50 ("xxxxxxxxxxxxxxxxxxxx…")',
      'email: "a@b" is not an e-mail address',
      'birthday: "17/05/1970" is not a date (use a date transform)',
      'statut: 300 is out of range for tinyint',
    ]);
  });

  it('an e-mail Dolibarr itself refuses (non-ASCII local part) is rejected, so the contact can still be edited in Dolibarr (issue 15)', () => {
    expect(validateRow(row({ lastname: 'Åberg', email: 'pénélope.åberg@example.org' }), objectDefs.contact, socpeople)).toEqual([
      { field: 'email', reason: 'email: "pénélope.åberg@example.org" is not an e-mail address (Dolibarr takes ASCII addresses only: its isValidEmail uses PHP FILTER_VALIDATE_EMAIL; write a domain in its xn-- form)' },
    ]);
    expect(validateRow(row({ lastname: 'Åberg', email: 'penelope.aberg@example.org' }), objectDefs.contact, socpeople)).toEqual([]);
  });

  it('a required field, and accented text counted in characters, not bytes', () => {
    expect(validateRow(row({ lastname: '  ' }), objectDefs.contact, socpeople)).toEqual([{ field: 'lastname', reason: 'lastname is required by Dolibarr' }]);
    expect(validateRow(row({ lastname: 'é'.repeat(50) }), objectDefs.contact, socpeople)).toEqual([]);
  });

  it('a mapping file error points at its line and column', () => {
    const f = csvDir();
    const path = f.write('m.yaml', 'object: contact\nkey: { from: ID }\nfields:\n  lastname: { from: Name, transforms: [shout] }\n');
    const e = (() => {
      try {
        readMapping(path);
      } catch (err) {
        return err as MokoError;
      }
      throw new Error('no error');
    })();
    expect(e.details[0]).toMatch(new RegExp(`^${path}:4:\\d+ fields.lastname`));
  });

  it('mapRow applies defaults Dolibarr would set, and names the failing source column', () => {
    const m = readMapping('default:crm-contacts');
    const ctx = { countryId: (s: string) => (s === 'FR' ? 1 : undefined) };
    const ok = mapRow(SourceRow.of(2, { 'Contact ID': ' P1 ', 'First Name': 'ann', 'Last Name': 'Lee', Email: 'A@B.FR', Phone: '', Mobile: '', 'Job Title': '', 'Company ID': 'C1', Country: 'FR', Birthday: '' }), m, ctx);
    expect(ok).toEqual({ mapped: { line: 2, key: 'P1', refs: { thirdparty: 'C1' }, values: expect.objectContaining({ ref_ext: 'P1', firstname: 'Ann', email: 'a@b.fr', statut: 1, priv: 0, fk_pays: 1, birthday: null }) } });
    const bad = mapRow(SourceRow.of(3, { 'Contact ID': 'P2', 'First Name': '', 'Last Name': 'X', Email: '', Phone: 'n/a', Mobile: '', 'Job Title': '', 'Company ID': '', Country: 'XX', Birthday: '' }), m, ctx);
    expect(bad).toMatchObject({ reject: { line: 3, field: 'Phone', reason: '"Phone": "n/a" is not a phone number; "Country": unknown country "XX" (not a code, ISO3 code or label of llx_c_country)' } });
  });

  it('customer and supplier codes: which are needed, and a numbering module we cannot run', () => {
    expect(codesNeeded({ client: 1, fournisseur: 1 })).toEqual(['customer', 'supplier']);
    expect(codesNeeded({ client: 2, code_client: 'X' })).toEqual([]);
    expect(codeProblem({ client: 1 }, { module: 'mod_codeclient_elephant', unsupported: true })).toContain('give codes in the source');
    expect(codeProblem({ client: 1 }, { module: 'leopard' })).toBeUndefined();
  });

  it('rejects CSV keeps the source columns (fed again as is) and adds line and reason', () => {
    expect(rejectsCsv(['ID', 'Name'], ';', [{ line: 4, reason: 'bad; really', record: { ID: '1', Name: 'A "B"' } }])).toBe(
      'ID;Name;mokodeploy_line;mokodeploy_reason\n1;"A ""B""";4;"bad; really"\n',
    );
  });

  it('the dump command line carries no password; the HTML report escapes source text', () => {
    expect(dumpArgv('/tmp/x/client.cnf', 'dolibarr', ['llx_societe'])).toEqual([
      '--defaults-extra-file=/tmp/x/client.cnf', '--single-transaction', '--no-tablespaces', '--skip-dump-date', 'dolibarr', 'llx_societe',
    ]);
    const html = renderReportHtml({
      batch: '20261127100000', mode: 'full', outcome: 'refused', summary: 's', startedAt: 'now', durationSeconds: 1, target: { database: 'd', where: 'h', entity: 1 },
      jobs: [{ object: 'contact', file: 'c.csv', mapping: 'm', encoding: 'utf-8', encodingReason: 'r', delimiter: ',', counts: { source: 1, loaded: 0, alreadyPresent: 0, rejected: 1, deferred: 0 }, read: { scanned: 1, lines: 2, recoveries: [] }, warnings: { count: 0, byKind: { lost: 0, replacement: 0, 'double-encoded': 0 }, rows: [] }, rejects: [{ line: 2, reason: '<script>alert(1)</script>' }] }],
      recordsMatch: true, reconciled: false, rowsPerSecond: 1, bulkLoad: 'insert', stageSeconds: {},
    });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;');
  });
});
