import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMariadb, type Mariadb } from '../helpers/services/index.js';
import { createDolibarrDatabase } from '../helpers/dolibarr-schema.js';
import { csvDir, generatedCompanies, generatedContacts } from '../helpers/migrate-files.js';
import { autoIncrement, count, migrate } from '../helpers/migrate-run.js';
import { connectTarget } from '../../src/migrate/target.js';
import { undoBatch } from '../../src/migrate/undo.js';
import { MokoError } from '../../src/core/errors.js';

let server: Mariadb;
beforeAll(async () => {
  server = await startMariadb();
});
afterAll(() => server?.stop());

function files() {
  const f = csvDir();
  const jobs = [
    { file: f.write('companies.csv', generatedCompanies(30)), mapping: 'default:crm-companies' },
    { file: f.write('contacts.csv', generatedContacts(120, 30)), mapping: 'default:crm-contacts' },
  ];
  return { dir: f.dir, jobs };
}

const tableCounts = async (d: Awaited<ReturnType<typeof createDolibarrDatabase>>) => [
  await count(d, 'SELECT COUNT(*) FROM llx_societe'),
  await count(d, 'SELECT COUNT(*) FROM llx_socpeople'),
];

describe('migrate: dry run, sample, full run, undo', () => {
  it('a dry run does everything (backup, load, reconcile) and then rolls back', async () => {
    const d = await createDolibarrDatabase(server, 'dryrun');
    const { dir, jobs } = files();
    const r = await migrate(d, dir, jobs, { dryRun: true });
    expect(r.report.mode).toBe('dry-run');
    expect(r.report.outcome).toBe('rolled-back');
    expect(r.report.reconciled).toBe(true);
    expect(r.report.jobs.map((j) => j.counts.loaded)).toEqual([30, 120]);
    expect(r.report.backup?.dump.sha256).toMatch(/^[a-f0-9]{64}$/);
    expect(await tableCounts(d)).toEqual([0, 0]);
  });

  it('dry runs leave the AUTO_INCREMENT counters where they were (issue 15: 1 -> 512 -> 1023), and still see the rows already there', async () => {
    const d = await createDolibarrDatabase(server, 'dryauto');
    await d.query(`INSERT INTO llx_societe (nom, entity, ref_ext) VALUES ('Already here', 1, 'C1')`);
    const { dir, jobs } = files();
    const before = [await autoIncrement(d, 'llx_societe'), await autoIncrement(d, 'llx_socpeople')];
    for (let i = 0; i < 2; i++) {
      const r = await migrate(d, dir, jobs, { dryRun: true });
      expect(r.report.outcome).toBe('rolled-back');
      expect(r.report.reconciled).toBe(true);
      expect(r.report.jobs.map((j) => [j.counts.loaded, j.counts.alreadyPresent])).toEqual([[29, 1], [120, 0]]);
    }
    expect([await autoIncrement(d, 'llx_societe'), await autoIncrement(d, 'llx_socpeople')]).toEqual(before);
    expect(await tableCounts(d)).toEqual([1, 0]);
    // The real run after them starts its rowids where the table left off.
    const real = await migrate(d, dir, jobs);
    expect(real.report.outcome).toBe('committed');
    expect(await count(d, 'SELECT MIN(rowid) FROM llx_societe WHERE import_key IS NOT NULL')).toBe(before[0]);
  });

  it('a sample of N rows first, then the full run loads only the rest; undo removes one batch by its import key', async () => {
    const d = await createDolibarrDatabase(server, 'sample');
    const { dir, jobs } = files();
    const sample = await migrate(d, dir, jobs, { sample: 10 });
    expect(sample.report.outcome).toBe('committed');
    expect(sample.report.reconciled).toBe(true);
    // contacts whose third party is not among the 10 sampled wait for the full run
    const [tp, ct] = sample.report.jobs.map((j) => j.counts);
    expect(tp).toEqual({ source: 30, loaded: 10, alreadyPresent: 0, rejected: 0, deferred: 20 });
    expect(ct!.loaded).toBe(10);
    expect(ct!.loaded + ct!.deferred).toBe(120);
    expect(await tableCounts(d)).toEqual([10, 10]);

    const full = await migrate(d, dir, jobs);
    expect(full.report.batch).not.toBe(sample.report.batch);
    expect(full.report.jobs.map((j) => [j.counts.loaded, j.counts.alreadyPresent])).toEqual([[20, 10], [110, 10]]);
    expect(full.report.reconciled).toBe(true);
    expect(await tableCounts(d)).toEqual([30, 120]);
    expect(await count(d, 'SELECT COUNT(*) FROM llx_socpeople WHERE fk_soc IS NULL')).toBe(0);
    expect(await count(d, 'SELECT COUNT(DISTINCT code_client) FROM llx_societe')).toBe(30);

    const db = await connectTarget(d.target);
    try {
      // contacts of the full batch point at third parties of the sample batch: undo the full one first
      const refusal = await undoBatch(db, d.target, sample.report.batch, 1).catch((e: unknown) => e);
      expect((refusal as MokoError).kind).toBe('refused');
      expect((refusal as MokoError).message).toBe(`batch ${sample.report.batch} cannot be undone: rows entered since point at its records`);
      expect((refusal as MokoError).details).toEqual([expect.stringMatching(/^llx_socpeople\.fk_soc: 30 row\(s\) point at llx_societe rowid \d+, \d+, \d+, \d+, \d+, …$/)]);
      expect(await undoBatch(db, d.target, full.report.batch, 1, true)).toEqual({ batch: full.report.batch, deleted: { contacts: 110, products: 0, 'third parties': 20 }, dryRun: true });
      expect(await tableCounts(d)).toEqual([30, 120]);
      await undoBatch(db, d.target, full.report.batch, 1);
      expect(await tableCounts(d)).toEqual([10, 10]);
      await undoBatch(db, d.target, sample.report.batch, 1);
      expect(await tableCounts(d)).toEqual([0, 0]);
      await expect(undoBatch(db, d.target, sample.report.batch, 1)).rejects.toThrow(/no rows carry the import key/);
    } finally {
      await db.end();
    }
  });

  it('undo reads the foreign keys pointing at the batch from the live schema: a sales representative and a category block it with a clear list, never a raw error (issue 15)', async () => {
    const d = await createDolibarrDatabase(server, 'undofk');
    // As Dolibarr 20.0.2 declares them: llx_societe_commerciaux.sql + .key.sql, llx_categorie_societe.key.sql.
    await d.query(`CREATE TABLE llx_societe_commerciaux (rowid integer AUTO_INCREMENT PRIMARY KEY, fk_soc integer, fk_user integer,
        fk_c_type_contact_code varchar(32) NOT NULL DEFAULT 'SALESREPTHIRD', import_key varchar(14)) ENGINE=innodb;
      ALTER TABLE llx_societe_commerciaux ADD CONSTRAINT fk_societe_commerciaux_fk_soc FOREIGN KEY (fk_soc) REFERENCES llx_societe(rowid);
      CREATE TABLE llx_categorie_societe (fk_categorie integer NOT NULL, fk_soc integer NOT NULL, import_key varchar(14), PRIMARY KEY (fk_categorie, fk_soc)) ENGINE=innodb;
      ALTER TABLE llx_categorie_societe ADD CONSTRAINT fk_categorie_societe_fk_soc FOREIGN KEY (fk_soc) REFERENCES llx_societe (rowid);
      CREATE TABLE llx_actioncomm (id integer AUTO_INCREMENT PRIMARY KEY, fk_soc integer, label varchar(255), INDEX idx_actioncomm_fk_soc (fk_soc)) ENGINE=innodb`);
    // llx_actioncomm.fk_soc has an index and no constraint (llx_actioncomm.key.sql, 20.0.2), like llx_societe_commerciaux in 19.0.4.
    const { dir, jobs } = files();
    const run = await migrate(d, dir, jobs);
    expect(run.report.outcome).toBe('committed');
    const [c3, c7] = [await count(d, "SELECT rowid FROM llx_societe WHERE ref_ext = 'C3'"), await count(d, "SELECT rowid FROM llx_societe WHERE ref_ext = 'C7'")];
    await d.query(`INSERT INTO llx_societe_commerciaux (fk_soc, fk_user) VALUES (${c3}, 1); INSERT INTO llx_categorie_societe (fk_categorie, fk_soc) VALUES (1, ${c3}), (1, ${c7}), (2, ${c7}); INSERT INTO llx_actioncomm (fk_soc, label) VALUES (${c7}, 'Call')`);
    const db = await connectTarget(d.target);
    try {
      const refusal = (await undoBatch(db, d.target, run.report.batch, 1).catch((e: unknown) => e)) as MokoError;
      expect(refusal).toBeInstanceOf(MokoError);
      expect(refusal.exitCode).toBe(4);
      expect(refusal.details).toEqual([
        `llx_actioncomm.fk_soc: 1 row(s) point at llx_societe rowid ${c7} (no foreign key declared: deleting would leave them pointing at nothing)`,
        `llx_categorie_societe.fk_soc: 3 row(s) point at llx_societe rowid ${[c3, c7].sort((a, b) => a - b).join(', ')}`,
        `llx_societe_commerciaux.fk_soc: 1 row(s) point at llx_societe rowid ${c3}`,
      ]);
      expect(await tableCounts(d)).toEqual([30, 120]);
      // Its own contacts do not block it: once the others are gone, the undo goes through.
      await d.query('DELETE FROM llx_societe_commerciaux; DELETE FROM llx_categorie_societe; DELETE FROM llx_actioncomm');
      expect((await undoBatch(db, d.target, run.report.batch, 1)).deleted).toEqual({ contacts: 120, products: 0, 'third parties': 30 });
    } finally {
      await db.end();
    }
  });

  it('a sample still checks the rows past N against the database: a customer code another record uses stops it, nothing written', async () => {
    const d = await createDolibarrDatabase(server, 'samplecheck');
    await d.query(`INSERT INTO llx_societe (nom, entity, code_client, client) VALUES ('Taken', 1, 'CU-TAKEN', 1)`);
    const f = csvDir();
    const jobs = [
      { file: f.write('companies.csv', generatedCompanies(30).replace('C25,Company 25,,', 'C25,Company 25,cu-taken,')), mapping: 'default:crm-companies' },
      { file: f.write('contacts.csv', generatedContacts(120, 30)), mapping: 'default:crm-contacts' },
    ];
    const r = await migrate(d, f.dir, jobs, { sample: 10 });
    expect(r.report.outcome).toBe('refused');
    expect(r.report.jobs[0]!.rejects).toEqual([{ line: 26, field: 'code_client', reason: expect.stringContaining('code_client "CU-TAKEN" is already used by societe rowid 1') }]);
    expect(r.report.jobs[0]!.counts).toEqual({ source: 30, loaded: 10, alreadyPresent: 0, rejected: 1, deferred: 19 });
    expect(await tableCounts(d)).toEqual([1, 0]);
  });

  it('when the database changes what was sent, reconciliation fails on that field and nothing is committed', async () => {
    const d = await createDolibarrDatabase(server, 'mismatch');
    // A trigger as a customised install might have: it rewrites the town on insert.
    await d.query(`CREATE TRIGGER upper_town BEFORE INSERT ON llx_societe FOR EACH ROW SET NEW.town = UPPER(NEW.town)`);
    const { dir, jobs } = files();
    const r = await migrate(d, dir, jobs);
    expect(r.report.outcome).toBe('rolled-back');
    expect(r.report.reconciled).toBe(false);
    const fields = r.report.jobs[0]!.reconciliation!.fields;
    expect(fields.filter((x) => !x.match).map((x) => x.field)).toEqual(['town']);
    expect(r.report.summary).toContain('reconciliation failed');
    expect(await tableCounts(d)).toEqual([0, 0]);
  });

  it('stamps the creator and the entity like Dolibarr import does; codes follow an existing monkey counter', async () => {
    const d = await createDolibarrDatabase(server, 'creator');
    await d.query(`INSERT INTO llx_societe (nom, entity, code_client, client) VALUES ('Old', 1, 'CU2301-00041', 1)`);
    const { dir, jobs } = files();
    const r = await migrate(d, dir, jobs, { createdBy: 'admin' });
    expect(r.report.outcome).toBe('committed');
    expect(await d.query(`SELECT DISTINCT fk_user_creat, entity, status FROM llx_societe WHERE import_key IS NOT NULL`)).toEqual([['1', '1', '1']]);
    expect(await d.query(`SELECT MIN(code_client), MAX(code_client) FROM llx_societe WHERE import_key IS NOT NULL`)).toEqual([['CU2611-00042', 'CU2611-00071']]);
    expect(await d.query(`SELECT DISTINCT fk_user_creat, statut, priv FROM llx_socpeople`)).toEqual([['1', '1', '0']]);
  });

  it('where the server refuses LOAD DATA LOCAL INFILE, batches go by INSERT with the same result', async () => {
    const d = await createDolibarrDatabase(server, 'noinfile');
    await server.rootClient.query('SET GLOBAL local_infile = 0');
    try {
      const { dir, jobs } = files();
      const r = await migrate(d, dir, jobs);
      expect(r.report.bulkLoad).toBe('insert');
      expect(r.report.outcome).toBe('committed');
      expect(r.report.reconciled).toBe(true);
      expect(await tableCounts(d)).toEqual([30, 120]);
    } finally {
      await server.rootClient.query('SET GLOBAL local_infile = 1');
    }
  });
});
