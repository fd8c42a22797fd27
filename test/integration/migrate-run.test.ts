import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMariadb, type Mariadb } from '../helpers/services/index.js';
import { createDolibarrDatabase } from '../helpers/dolibarr-schema.js';
import { csvDir, messyCompanies, messyContacts, messyProducts } from '../helpers/migrate-files.js';
import { count, migrate } from '../helpers/migrate-run.js';

let server: Mariadb;
beforeAll(async () => {
  server = await startMariadb();
});
afterAll(() => server?.stop());

const jobsOf = (files: { companies: string; contacts: string; products: string }) => [
  // contacts listed first on purpose: the pipeline orders jobs so references point backwards
  { file: files.contacts, mapping: 'default:crm-contacts' },
  { file: files.companies, mapping: 'default:crm-companies' },
  { file: files.products, mapping: 'default:crm-products' },
];

describe('migrate: a messy CRM export into Dolibarr tables', () => {
  it('loads, generates codes as Dolibarr would, links contacts, reconciles; a re-run adds nothing', async () => {
    const d = await createDolibarrDatabase(server, 'messy');
    await d.query(`INSERT INTO llx_societe (nom, entity, code_client, client) VALUES ('Old customer', 1, 'CU2611-00007', 1)`);
    const f = csvDir();
    const files = { companies: f.write('companies.csv', messyCompanies), contacts: f.write('contacts.csv', messyContacts), products: f.write('products.tsv', messyProducts) };
    const first = await migrate(d, f.dir, jobsOf(files));
    expect(first.report.summary).toContain('committed');
    expect(first.report.outcome).toBe('committed');
    expect(first.report.reconciled).toBe(true);
    expect(first.report.bulkLoad).toBe('load-data');
    expect(first.report.jobs.map((j) => [j.object, j.counts.loaded, j.counts.rejected])).toEqual([['thirdparty', 4, 0], ['product', 3, 0], ['contact', 4, 0]]);
    expect(first.report.jobs[0]!.encodingReason).toContain('byte order mark');
    expect(first.report.jobs.map((j) => j.delimiter)).toEqual([';', '\t', ',']);

    const rows = await d.query(`SELECT ref_ext, nom, code_client, code_fournisseur, client, fournisseur, fk_pays, email, phone, status, entity, import_key, REPLACE(address, '\n', '|') FROM llx_societe WHERE import_key IS NOT NULL ORDER BY ref_ext`);
    expect(rows).toEqual([
      ['C-1', 'ACME SARL', 'CU2611-00008', 'NULL', '1', '0', '1', 'info@acme.fr', '0123456789', '1', '1', first.report.batch, '12 rue de la Paix|Bâtiment B'],
      ['C-2', 'Globex GmbH', 'CLI-42', 'NULL', '1', '0', '5', 'sales@globex.de', '+49301234567', '1', '1', first.report.batch, 'Unter den Linden 1'],
      ['C-3', 'Initech; Inc.', 'CU2611-00009', 'NULL', '2', '0', '11', 'NULL', 'NULL', '1', '1', first.report.batch, 'NULL'],
      ['C-4', 'Dupont & Fils', 'NULL', 'SU2611-00001', '0', '1', '1', 'contact@dupont.fr', 'NULL', '1', '1', first.report.batch, 'NULL'],
    ]);
    const contacts = await d.query(`SELECT c.ref_ext, c.firstname, c.email, s.ref_ext, c.poste, c.birthday FROM llx_socpeople c LEFT JOIN llx_societe s ON s.rowid = c.fk_soc ORDER BY c.ref_ext`);
    expect(contacts).toEqual([
      ['P-1', 'Jean-Pierre', 'jp.martin@acme.fr', 'C-1', 'CEO', '1970-05-17'],
      ['P-2', 'Anna', 'anna@globex.de', 'C-2', 'Head of "Sales"', 'NULL'],
      ['P-3', 'Bob', 'bob@initech.com', 'C-3', 'NULL', 'NULL'],
      ['P-4', 'Solo', 'solo@example.org', 'NULL', 'NULL', 'NULL'],
    ]);
    expect(await d.query(`SELECT ref, price, price_ttc, tva_tx, fk_product_type, REPLACE(description, '\n', '|') FROM llx_product ORDER BY ref`)).toEqual([
      ['S-SUPPORT', '80.00000000', '96.00000000', '20.0000', '1', 'NULL'],
      ['W-001', '10.50000000', '12.60000000', '20.0000', '0', 'A widget,|blue'],
      ['W-002', '1234.56000000', '1302.46080000', '5.5000', '0', 'NULL'],
    ]);
    const contactRec = first.report.jobs[2]!.reconciliation!;
    expect(contactRec.relationships).toEqual({ expected: 3, linked: 3, orphans: 0, pairsMatch: true });
    expect(contactRec.fields.every((x) => x.match)).toBe(true);
    expect(existsSync(first.files.html)).toBe(true);
    expect(readFileSync(first.report.backup!.dump.path, 'utf8')).toContain('CREATE TABLE `llx_societe`');

    const again = await migrate(d, f.dir, jobsOf(files));
    expect(again.report.outcome).toBe('committed');
    expect(again.report.jobs.map((j) => [j.counts.loaded, j.counts.alreadyPresent])).toEqual([[0, 4], [0, 3], [0, 4]]);
    expect(await count(d, 'SELECT COUNT(*) FROM llx_societe')).toBe(5);
    expect(await count(d, 'SELECT COUNT(*) FROM llx_socpeople')).toBe(4);
    expect(await count(d, 'SELECT COUNT(*) FROM llx_product')).toBe(3);
  });
});
