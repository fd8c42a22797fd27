import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMariadb, type Mariadb } from '../helpers/services/index.js';
import { createDolibarrDatabase } from '../helpers/dolibarr-schema.js';
import { csvDir, generatedCompanies, generatedContacts } from '../helpers/migrate-files.js';
import { count, migrate } from '../helpers/migrate-run.js';
import { MokoError } from '../../src/core/errors.js';

let server: Mariadb;
beforeAll(async () => {
  server = await startMariadb();
});
afterAll(() => server?.stop());

const header = 'Company ID,Company Name,Customer Code,Type,Email,Phone,Website,Address,Postal Code,City,Country,VAT Number';

describe('migrate: bad input gives a per-row report and writes nothing unless accepted', () => {
  it('a file where a tenth of the rows are invalid: refused, every reject with line and reason; --accept-rejects loads the rest; fixed rejects feed again', async () => {
    const d = await createDolibarrDatabase(server, 'tenth');
    const f = csvDir();
    const companies = f.write('companies.csv', generatedCompanies(20));
    const contacts = f.write('contacts.csv', generatedContacts(200, 20, true));
    const jobs = [{ file: companies, mapping: 'default:crm-companies' }, { file: contacts, mapping: 'default:crm-contacts' }];

    const refused = await migrate(d, f.dir, jobs);
    expect(refused.report.outcome).toBe('refused');
    expect(await count(d, 'SELECT COUNT(*) FROM llx_societe')).toBe(0);
    expect(await count(d, 'SELECT COUNT(*) FROM llx_socpeople')).toBe(0);
    const rejects = refused.report.jobs[1]!.rejects;
    expect(rejects).toHaveLength(20);
    // contact i is on line i + 1 (header on line 1)
    expect(rejects.slice(0, 4)).toEqual([
      { line: 11, field: 'Last Name', reason: '"Last Name" is required' },
      { line: 21, field: 'Company ID', reason: 'third party "C-NOWHERE" not found (ref_ext) in this migration or the database' },
      { line: 31, field: 'Birthday', reason: '"Birthday": "1980-02-31" is not a real date (YYYY-MM-DD)' },
      { line: 41, field: 'email', reason: 'email: "not-an-email" is not an e-mail address' },
    ]);
    expect(readFileSync(refused.files.html, 'utf8')).toContain('C-NOWHERE');

    const accepted = await migrate(d, f.dir, jobs, { acceptRejects: true });
    expect(accepted.report.outcome).toBe('committed');
    expect(accepted.report.reconciled).toBe(true);
    expect(await count(d, 'SELECT COUNT(*) FROM llx_socpeople')).toBe(180);

    // The rejects CSV keeps the source columns: fix it and feed it again with the same mapping.
    const csvPath = accepted.report.jobs[1]!.rejectsCsv!;
    const fixed = readFileSync(csvPath, 'utf8')
      .replace(/not-an-email/g, 'fixed@example.com')
      .replace(/,,(\w+@example\.com),/g, ',Fixed,$1,')
      .replace(/C-NOWHERE/g, 'C1')
      .replace(/1980-02-31/g, '1980-02-28');
    const again = await migrate(d, f.dir, [{ file: f.write('fixed.csv', fixed), mapping: 'default:crm-contacts' }]);
    expect(again.report.jobs[0]!.rejects).toEqual([]);
    expect(again.report.outcome).toBe('committed');
    expect(await count(d, 'SELECT COUNT(*) FROM llx_socpeople')).toBe(200);
  });

  it('a missing column stops before any row is read', async () => {
    const d = await createDolibarrDatabase(server, 'missingcol');
    const f = csvDir();
    const file = f.write('companies.csv', 'Company ID,Company Name\nC1,Acme\n');
    const err = await migrate(d, f.dir, [{ file, mapping: 'default:crm-companies' }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MokoError);
    expect((err as MokoError).describe()).toContain('lacks column(s) the mapping reads: "Customer Code", "Type"');
    expect((err as MokoError).where).toBe(`${file}:1`);
    expect(await count(d, 'SELECT COUNT(*) FROM llx_societe')).toBe(0);
  });

  it('latin1 and UTF-16 files are detected and read correctly; a UTF-8 file with latin1 bytes rejects those rows', async () => {
    const d = await createDolibarrDatabase(server, 'encodings');
    const f = csvDir();
    const text = `${header}\nC1,Société Générale,,Customer,,,,,,Besançon,FR,\n`;
    const latin1 = f.write('latin1.csv', Buffer.from(text, 'latin1'));
    const r1 = await migrate(d, f.dir, [{ file: latin1, mapping: 'default:crm-companies' }]);
    expect(r1.report.jobs[0]!.encoding).toBe('windows-1252');
    expect(r1.report.jobs[0]!.encodingReason).toContain('not valid UTF-8');
    expect(await d.query(`SELECT nom, town FROM llx_societe WHERE ref_ext = 'C1'`)).toEqual([['Société Générale', 'Besançon']]);

    const utf16 = f.write('utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace('C1,', 'C2,'), 'utf16le')]));
    const r2 = await migrate(d, f.dir, [{ file: utf16, mapping: 'default:crm-companies' }]);
    expect(r2.report.jobs[0]!.encoding).toBe('utf-16le');
    expect(await d.query(`SELECT nom FROM llx_societe WHERE ref_ext = 'C2'`)).toEqual([['Société Générale']]);

    // Mostly UTF-8 (the sample), but one row was pasted in from a latin1 system.
    const good = Array.from({ length: 8000 }, (_, i) => `X${i},Firma ${i} Müller,,Customer,,,,,,Köln,DE,`).join('\n');
    const mixed = Buffer.concat([Buffer.from(`${header}\n${good}\n`, 'utf8'), Buffer.from('BAD,Café Crème,,Customer,,,,,,Nîmes,FR,\n', 'latin1')]);
    const r3 = await migrate(d, f.dir, [{ file: f.write('mixed.csv', mixed), mapping: 'default:crm-companies' }]);
    expect(r3.report.jobs[0]!.encoding).toBe('utf-8');
    expect(r3.report.outcome).toBe('refused');
    expect(r3.report.jobs[0]!.rejects).toEqual([expect.objectContaining({ line: 8002, reason: expect.stringContaining('not valid utf-8') })]);
  });

  it('broken quoting, a wrong field count, duplicates in the file and in the database, a 4-byte character: each row named', async () => {
    const d = await createDolibarrDatabase(server, 'broken');
    await d.query(`INSERT INTO llx_societe (nom, entity, code_client, client) VALUES ('Existing', 1, 'TAKEN', 1)`);
    const f = csvDir();
    const file = f.write('companies.csv', [
      header,
      'C1,Good one,,Customer,,,,,,,FR,',
      'C2,"Bad "quote" here",,Customer,,,,,,,FR,',
      'C3,Too few,Customer',
      'C1,Same key again,,Customer,,,,,,,FR,',
      'C4,Uses a taken code,TAKEN,Customer,,,,,,,FR,',
      'C5,Emoji 🚀 Ltd,,Customer,,,,,,,FR,',
      'C6,Nowhere,,Customer,,,,,,,Atlantis,',
      'C7,Long town,,Customer,,,,,,' + 'x'.repeat(51) + ',FR,',
      'C8,Good two,,Customer,,,,,,,FR,',
    ].join('\n') + '\n');
    const r = await migrate(d, f.dir, [{ file, mapping: 'default:crm-companies' }]);
    expect(r.report.outcome).toBe('refused');
    const byLine = Object.fromEntries(r.report.jobs[0]!.rejects.map((x) => [x.line, x.reason]));
    expect(byLine, JSON.stringify(byLine)).not.toHaveProperty('2');
    expect(Object.keys(byLine).map(Number)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(byLine[3]).toContain('broken quoting');
    expect(byLine[4]).toContain('3 fields where the header has 12');
    expect(byLine[5]).toBe('duplicate ref_ext "C1" (first on line 2)');
    expect(byLine[6]).toMatch(/code_client "TAKEN" is already used by societe rowid \d+/);
    expect(byLine[7]).toContain('cannot be stored in a utf8mb3 column');
    expect(byLine[8]).toContain('unknown country "Atlantis"');
    expect(byLine[9]).toContain('51 characters, the column holds 50');
    // loaded = inserted on the transaction, which was rolled back: 'would load'
    expect(r.report.jobs[0]!.counts).toEqual({ source: 9, loaded: 2, alreadyPresent: 0, rejected: 7, deferred: 0 });
    expect(await count(d, 'SELECT COUNT(*) FROM llx_societe')).toBe(1);
  });

  it('a quote never closed: the rest of the file is one reject starting on its line, with its raw text', async () => {
    const d = await createDolibarrDatabase(server, 'unclosed');
    const f = csvDir();
    const file = f.write('companies.csv', `${header}\nC1,Fine,,Customer,,,,,,,FR,\nC2,"Never closed,,Customer,,,,,,,FR,\nC3,Lost,,Customer,,,,,,,FR,\n`);
    const r = await migrate(d, f.dir, [{ file, mapping: 'default:crm-companies' }]);
    expect(r.report.jobs[0]!.rejects).toEqual([{ line: 3, reason: 'broken quoting (lines 3-4): unclosed quote opened at line 3, col 4 (the file ends inside it); with --recover-quotes the lines after line 3 are read again as records' }]);
    expect(r.report.outcome).toBe('refused');
    expect(readFileSync(r.report.jobs[0]!.rejectsCsv!, 'utf8')).toContain('"C2,""Never closed,,Customer,,,,,,,FR,\nC3,Lost,,Customer,,,,,,,FR,"');
  });

  it('issue 15: a 300-row product file with an unclosed quote on line 151 loses no row: counted, rejected with its raw text, or recovered', async () => {
    const d = await createDolibarrDatabase(server, 'unclosed300');
    const f = csvDir();
    const lines = ['SKU,Name,Description,Price,VAT Rate,Type,Barcode'];
    for (let i = 1; i <= 300; i++) lines.push(i === 150 ? 'P0150,"Unterminated label,,12.50,20,product,' : `P${String(i).padStart(4, '0')},"Label ${i}",,12.50,20,product,`);
    const file = f.write('products.csv', `${lines.join('\n')}\n`);
    const jobs = [{ file, mapping: 'default:crm-products' }];
    const plain = await migrate(d, f.dir, jobs, { acceptRejects: true });
    const job = plain.report.jobs[0]!;
    expect(plain.report.recordsMatch).toBe(true);
    expect(job.read).toEqual({ scanned: 299, lines: 301, recoveries: [] });
    expect(job.counts).toMatchObject({ source: 299, loaded: 298, rejected: 1 });
    expect(job.rejects[0]!.reason).toContain('unclosed quote opened at line 151, col 7');
    // The good row swallowed by the broken one is in the rejects file, as it was written.
    expect(readFileSync(job.rejectsCsv!, 'utf8')).toContain('P0151,""Label 151"",,12.50,20,product,');
    expect(await count(d, "SELECT COUNT(*) FROM llx_product WHERE ref = 'P0151'")).toBe(0);

    const recovered = await migrate(d, f.dir, jobs, { acceptRejects: true, recoverQuotes: true });
    const again = recovered.report.jobs[0]!;
    expect(again.read).toEqual({ scanned: 300, lines: 301, recoveries: [{ line: 151, resumeLine: 152 }] });
    expect(again.counts).toMatchObject({ source: 300, loaded: 1, alreadyPresent: 298, rejected: 1 });
    expect(await count(d, "SELECT COUNT(*) FROM llx_product WHERE ref = 'P0151'")).toBe(1);
    expect(await count(d, 'SELECT COUNT(*) FROM llx_product')).toBe(299);
  });
});
