import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMariadb, type Mariadb } from '../helpers/services/index.js';
import { createDolibarrDatabase } from '../helpers/dolibarr-schema.js';
import { csvDir } from '../helpers/migrate-files.js';
import { companiesFr, contactsDe, productsBroken } from '../helpers/migrate-messy.js';
import { count, migrate } from '../helpers/migrate-run.js';
import { suggestMappingFile } from '../../src/migrate/suggest-file.js';

let server: Mariadb;
beforeAll(async () => {
  server = await startMariadb();
});
afterAll(() => server?.stop());

describe('migrate: three messy client exports, mapped only by migrate map suggest (issue 15)', () => {
  it('BOM + semicolons, Latin-1 with quoted line breaks, broken quoting: the proposals import them; what they flag is in the report', async () => {
    const d = await createDolibarrDatabase(server, 'messy3');
    const f = csvDir();
    const files = [
      { file: f.write('clients.csv', companiesFr), object: 'thirdparty' as const },
      { file: f.write('kontakte.csv', contactsDe), object: 'contact' as const },
      { file: f.write('produits.csv', productsBroken), object: 'product' as const },
    ];
    const jobs = [];
    for (const x of files) {
      const s = await suggestMappingFile(x.file, x.object);
      const mapping = join(f.dir, `${x.object}.mapping.yaml`);
      writeFileSync(mapping, s.yaml);
      jobs.push({ file: x.file, mapping });
    }
    expect(readFileSync(jobs[0]!.mapping, 'utf8')).toContain('from: Raison sociale');
    expect(readFileSync(jobs[1]!.mapping, 'utf8')).toMatch(/birthday:\n\s+from: Geburtsdatum\n\s+transforms:\n\s+- date:\n\s+- YYYY-MM-DD\n\s+- D\/M\/YYYY\n\s+- D\/M\/YY/);

    const r = await migrate(d, f.dir, jobs, { acceptRejects: true, recoverQuotes: true });
    expect(r.report.outcome, r.report.summary).toBe('committed');
    expect(r.report.reconciled).toBe(true);
    expect(r.report.recordsMatch).toBe(true);
    const [companies, products, contacts] = r.report.jobs;
    expect(companies!.counts).toMatchObject({ source: 4, loaded: 4, rejected: 0 });
    expect(companies!.encodingReason).toContain('byte order mark');
    expect(companies!.delimiter).toBe(';');
    expect(companies!.warnings).toMatchObject({ count: 2, byKind: { lost: 1, 'double-encoded': 1, replacement: 0 } });
    expect(contacts!.encoding).toBe('windows-1252');
    expect(contacts!.counts).toMatchObject({ source: 4, loaded: 3, rejected: 1 });
    expect(contacts!.rejects).toEqual([{ line: 5, field: 'email', reason: expect.stringContaining('"pénélope.åberg@example.org" is not an e-mail address (Dolibarr takes ASCII addresses only') }]);
    expect(contacts!.dates).toEqual({ birthday: { matched: { 'YYYY-MM-DD': 1, 'D/M/YYYY': 2, 'D/M/YY': 1 }, ambiguous: 0 } });
    expect(products!.counts).toMatchObject({ source: 4, loaded: 3, rejected: 1 });
    expect(products!.read.recoveries).toEqual([{ line: 3, resumeLine: 4 }]);

    expect(await d.query('SELECT ref_ext, nom, client, fournisseur, fk_pays, tva_intra, phone FROM llx_societe ORDER BY ref_ext')).toEqual([
      ['CL001', 'Boulangerie Dupont', '1', '0', '1', 'FR12345678901', '0123456789'],
      ['CL002', 'Müller; Söhne GmbH', '1', '1', '5', 'DE123456789', '+49301234567'],
      ['CL003', 'Ma?gorzata Design', '0', '1', '5', 'NULL', 'NULL'],
      ['CL004', 'CafÃ© du Coin', '1', '0', '1', 'NULL', '0472000000'],
    ]);
    expect(await d.query(`SELECT c.ref_ext, c.firstname, c.lastname, c.poste, c.birthday, s.ref_ext FROM llx_socpeople c JOIN llx_societe s ON s.rowid = c.fk_soc ORDER BY c.ref_ext`)).toEqual([
      ['K1', 'Jürgen', 'Müller', 'Geschäftsführer', '1980-02-01', 'CL002'],
      ['K2', 'Anne', 'Dupont', 'Gérante', '1975-12-25', 'CL001'],
      ['K4', 'Zoë', 'Lefèvre', 'Chef, cuisine', '1990-02-01', 'CL004'],
    ]);
    expect(await d.query('SELECT ref, label, price, fk_product_type FROM llx_product ORDER BY ref')).toEqual([
      ['P-100', 'Baguette', '1.20000000', '0'],
      ['P-102', 'Pain de campagne', '3.40000000', '0'],
      ['P-103', 'Livraison', '5.00000000', '1'],
    ]);
    // The broken line is in the rejects file as it was written.
    expect(readFileSync(products!.rejectsCsv!, 'utf8')).toContain('"p-101,""Croissant au beurre,0.95,5.5,produit,"');
    expect(await count(d, 'SELECT COUNT(*) FROM llx_product')).toBe(3);
  });
});
