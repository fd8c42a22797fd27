import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startMariadb, type Mariadb } from '../helpers/services/index.js';
import { createDolibarrDatabase } from '../helpers/dolibarr-schema.js';
import { workspace } from '../helpers/cli.js';
import { companiesFr, productsBroken } from '../helpers/migrate-messy.js';
import { SecretStore } from '../../src/store/secrets.js';

let server: Mariadb;
beforeAll(async () => {
  server = await startMariadb();
});
afterAll(() => server?.stop());

describe('mokodeploy migrate on messy exports, as a user runs it (built executable, issue 15)', () => {
  it('map suggest writes a mapping; the run recovers after an unclosed quote and says so; undo blocked by a sales representative exits 4 with the list; a typo in a mapping names its line and the real command', async () => {
    const d = await createDolibarrDatabase(server, 'climessy');
    await d.query(`CREATE TABLE llx_societe_commerciaux (rowid integer AUTO_INCREMENT PRIMARY KEY, fk_soc integer, fk_user integer, fk_c_type_contact_code varchar(32) NOT NULL DEFAULT 'SALESREPTHIRD', import_key varchar(14)) ENGINE=innodb;
      ALTER TABLE llx_societe_commerciaux ADD CONSTRAINT fk_societe_commerciaux_fk_soc FOREIGN KEY (fk_soc) REFERENCES llx_societe(rowid)`);
    const ws = workspace();
    ws.env.MOKODEPLOY_SECRET_KEY_FILE = join(ws.dir, 'secret.key');
    new SecretStore(join(ws.dir, '.mokodeploy'), ws.env.MOKODEPLOY_SECRET_KEY_FILE).set('acme/db', d.target.password);
    writeFileSync(join(ws.dir, 'clients.csv'), companiesFr);
    writeFileSync(join(ws.dir, 'produits.csv'), productsBroken);

    const suggest = await ws.runAsync(['migrate', 'map', 'suggest', 'clients.csv', '--object', 'thirdparty', '--out', 'clients.yaml']);
    expect(suggest.stderr).toBe('');
    expect(suggest.code).toBe(0);
    expect(suggest.stdout).toContain('wrote clients.yaml; check:\n  not mapped: "Remarque"');
    expect(readFileSync(join(ws.dir, 'clients.yaml'), 'utf8')).toContain('from: Raison sociale');
    expect((await ws.runAsync(['migrate', 'map', 'suggest', 'clients.csv', '--object', 'thirdparty', '--out', 'clients.yaml'])).code).toBe(2);
    const printed = await ws.runAsync(['migrate', 'map', 'suggest', 'produits.csv', '--object', 'product']);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain('from: Désignation');
    writeFileSync(join(ws.dir, 'produits.yaml'), printed.stdout);

    const target = { host: '127.0.0.1', port: server.port, database: d.target.database, user: d.target.user, password: { secret: 'acme/db' } };
    writeFileSync(join(ws.dir, 'migration.yaml'), stringify({ target, jobs: [{ file: 'clients.csv', mapping: 'clients.yaml' }, { file: 'produits.csv', mapping: 'produits.yaml' }] }));
    const refused = await ws.runAsync(['migrate', 'run', 'migration.yaml']);
    expect(refused.code).toBe(4);
    expect(refused.stdout).toContain('line 3: broken quoting (lines 3-4): unclosed quote opened at line 3, col 7');
    const run = await ws.runAsync(['migrate', 'run', 'migration.yaml', '--recover-quotes', '--accept-rejects']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('line 3: unclosed quote; the lines from 4 were read again as records (--recover-quotes)');
    expect(run.stdout).toContain('2 row(s) with text damaged before export (lost letters 1, double-encoded 1, unreadable 0)');
    expect(run.stdout).toMatch(/thirdparty +\S*clients\.csv: 4 rows, 4 loaded, 0 already present, 0 rejected \[utf-8, ";"; 4 records on 5 lines by the record count\]/);
    const batch = /batch (\d{14})/.exec(run.stdout)![1]!;

    await d.query("INSERT INTO llx_societe_commerciaux (fk_soc, fk_user) SELECT rowid, 1 FROM llx_societe WHERE ref_ext = 'CL002'");
    const undo = await ws.runAsync(['migrate', 'undo', batch, '--file', 'migration.yaml']);
    expect(undo.code).toBe(4);
    expect(undo.stderr).toMatch(/cannot be undone: rows entered since point at its records\n {2}llx_societe_commerciaux\.fk_soc: 1 row\(s\) point at llx_societe rowid \d+\n {2}fix: remove or reassign those rows/);
    expect(await d.query('SELECT COUNT(*) FROM llx_societe')).toEqual([['4']]);

    writeFileSync(join(ws.dir, 'typo.yaml'), ['object: thirdparty', 'key: {from: N° client}', 'fields:', '  nom: {from: Raison sociale}', '  townn: {from: Ville}', ''].join('\n'));
    writeFileSync(join(ws.dir, 'typo-migration.yaml'), stringify({ target, jobs: [{ file: 'clients.csv', mapping: 'typo.yaml' }] }));
    const typo = await ws.runAsync(['migrate', 'run', 'typo-migration.yaml', '--dry-run']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('typo.yaml:5:3 fields.townn: llx_societe has no column "townn" (did you mean "town"?)');
    expect(typo.stderr).toContain('`mokodeploy migrate schema mapping`');
    for (const o of [suggest.stdout, run.stdout, undo.stderr, typo.stderr]) expect(o).not.toContain(d.target.password.reveal());
  }, 240_000);
});
