import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Command } from '../../src/hosts/host.js';
import {
  checkWritesCommand,
  writeMarkCommand,
  writeMarkExactCommand,
} from '../../src/steps/upgrade-copy/write-mark.js';
import { makeTempDir, removeDir, startMariadb, type Mariadb } from '../helpers/services/index.js';

/**
 * Issue 19: the write check of a rollback before writes against a real MariaDB 10.11. It must find every write
 * (INSERT, UPDATE, DELETE, in a table with Dolibarr's `tms` and in one without), not count a login, and still find
 * writes once UPDATE_TIME is gone (server restart), while measuring exactly only the tables whose metadata moved.
 */
const execFileAsync = promisify(execFile);
const db = 'acme_crm_mk20261206';

// shapes of Dolibarr 20.0.2's install/mysql/tables: llx_user.sql (login columns, tms), llx_societe.sql (tms),
// llx_facturedet.sql (a line table: rowid, no tms), llx_categorie_product.sql (a link table: no rowid, no tms)
const tables = [
  `CREATE TABLE llx_user (rowid integer AUTO_INCREMENT PRIMARY KEY, login varchar(50) NOT NULL, lastname varchar(50),
    datelastlogin datetime, datepreviouslogin datetime, iplastlogin varchar(250), ippreviouslogin varchar(250),
    tms timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP) ENGINE=innodb`,
  `CREATE TABLE llx_societe (rowid integer AUTO_INCREMENT PRIMARY KEY, nom varchar(128), entity integer DEFAULT 1 NOT NULL,
    tms timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, datec datetime) ENGINE=innodb`,
  `CREATE TABLE llx_facturedet (rowid integer AUTO_INCREMENT PRIMARY KEY, fk_facture integer NOT NULL, description text,
    qty real, total_ht double(24,8)) ENGINE=innodb`,
  `CREATE TABLE llx_categorie_product (fk_categorie integer NOT NULL, fk_product integer NOT NULL, import_key varchar(14),
    PRIMARY KEY (fk_categorie, fk_product)) ENGINE=innodb`,
  `CREATE TABLE llx_c_empty (rowid integer PRIMARY KEY, code varchar(12)) ENGINE=innodb`,
];

let server: Mariadb;
let dir: string;
const files = () => ({
  mark: join(dir, 'write-mark-switch.tsv'),
  sql: join(dir, 'write-mark.sql'),
  now: join(dir, 'write-mark-rollback.tsv'),
  exact: join(dir, 'write-mark-exact.tsv'),
});
const q = (sql: string) => server.rootClient.query(sql);
const client = () => server.rootClient.argv.filter((a) => !['--batch', '--skip-column-names'].includes(a));

async function run(c: Command): Promise<{ code: number; out: string; err: string }> {
  return execFileAsync(c.argv[0]!, c.argv.slice(1), { timeout: 60_000 }).then(
    (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({
      code: e.code ?? -1,
      out: e.stdout ?? '',
      err: e.stderr ?? '',
    }),
  );
}

/** The mark's part inside the window. */
const markWindow = async () => {
  const r = await run(writeMarkCommand(db, files(), client()));
  expect(r.code, r.err).toBe(0);
  return r.out;
};
/** The mark's exact part, after writes are back. */
const markExact = async () => {
  const r = await run(writeMarkExactCommand(files(), client()));
  expect(r.code, r.err).toBe(0);
  return r.out;
};
/** Both parts, nothing written between them (what every upgrade does when nobody writes right after writes-back). */
const mark = async () => {
  await markWindow();
  await markExact();
};
/** The tables the window's mark deferred to the exact part. */
const deferred = () =>
  readFileSync(files().mark, 'utf8')
    .split('\n')
    .filter((l) => l.split('\t')[4] === 'deferred')
    .map((l) => l.split('\t')[0]);
const check = () => run(checkWritesCommand(files(), client()));
/** Until the server's clock is in a new second (with room left in it). */
const nextSecond = () => new Promise((res) => setTimeout(res, 1000 - (Date.now() % 1000) + 20));
const measured = (out: string) => /\((\d+) of (\d+) tables measured exactly/.exec(out)?.slice(1).map(Number);

const login = `UPDATE ${db}.llx_user SET datepreviouslogin = datelastlogin, datelastlogin = NOW(), ippreviouslogin = iplastlogin, iplastlogin = '127.0.0.1', tms = tms WHERE rowid = 1`;

beforeAll(async () => {
  server = await startMariadb();
  dir = makeTempDir('write-check');
  await q(`CREATE DATABASE ${db}; USE ${db}; ${tables.join(';')}`);
  await q(`USE ${db};
    INSERT INTO llx_user (login, lastname) VALUES ('admin', 'Admin'), ('ann', 'Ann');
    INSERT INTO llx_societe (nom, datec) SELECT CONCAT('Company ', seq, REPEAT('.', 60)), NOW() FROM seq_1_to_3000;
    INSERT INTO llx_facturedet (fk_facture, description, qty, total_ht) SELECT seq, REPEAT('Line ', 20), 1, seq FROM seq_1_to_3000;
    INSERT INTO llx_categorie_product (fk_categorie, fk_product) SELECT 1, seq FROM seq_1_to_5000;
    ANALYZE TABLE llx_user, llx_societe, llx_facturedet, llx_categorie_product, llx_c_empty;`);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (dir) removeDir(dir);
});

describe('write check (issue 19)', () => {
  it('unchanged: only the table never written (UPDATE_TIME NULL) measured exactly, the others by metadata', async () => {
    await nextSecond();
    await mark();
    const r = await check();
    expect(r.code, r.err).toBe(0);
    expect(measured(r.out)).toEqual([1, 5]);
    expect(r.out).toMatch(/exactly: llx_c_empty\)/);
  }, 60_000);

  it('a login (llx_user last-login columns, tms = tms) is not a write: llx_user alone measured exactly', async () => {
    await nextSecond();
    await mark();
    await q(login);
    const r = await check();
    expect(r.code, r.err).toBe(0);
    expect(measured(r.out)).toEqual([2, 5]);
    expect(r.out).toMatch(/exactly: llx_c_empty llx_user\)/);
  }, 60_000);

  const writes: [string, string, RegExp][] = [
    [
      'INSERT, table with tms',
      `INSERT INTO ${db}.llx_societe (nom) VALUES ('New')`,
      /llx_societe: AUTO_INCREMENT/,
    ],
    [
      'UPDATE, table with tms',
      `UPDATE ${db}.llx_societe SET nom = 'Renamed' WHERE rowid = 7`,
      /llx_societe: /,
    ],
    ['DELETE, table with tms', `DELETE FROM ${db}.llx_societe WHERE rowid = 8`, /llx_societe: /],
    [
      'INSERT, no tms, no rowid',
      `INSERT INTO ${db}.llx_categorie_product VALUES (2, 1, NULL)`,
      /llx_categorie_product: /,
    ],
    ['UPDATE, no tms', `UPDATE ${db}.llx_facturedet SET qty = 2 WHERE rowid = 3`, /llx_facturedet: /],
    ['DELETE, no tms', `DELETE FROM ${db}.llx_facturedet WHERE rowid = 4`, /llx_facturedet: /],
    [
      'DELETE, no tms, no rowid',
      `DELETE FROM ${db}.llx_categorie_product WHERE fk_product = 9`,
      /llx_categorie_product: /,
    ],
    [
      'a user changed (not a login)',
      `UPDATE ${db}.llx_user SET lastname = 'Smith' WHERE rowid = 2`,
      /llx_user: /,
    ],
    ['a table created', `CREATE TABLE ${db}.llx_new (a int) ENGINE=innodb`, /table added: llx_new/],
  ];
  for (const [what, sql, found] of writes)
    it(`finds a write: ${what}`, async () => {
      await mark();
      await q(login);
      await q(sql);
      const r = await check();
      expect(r.code, r.out).toBe(1);
      expect(r.err).toMatch(found);
      // the login before it is not reported among the changes; found by its measure, not for want of one
      if (!found.source.includes('llx_user')) expect(r.err).not.toMatch(/llx_user/);
      expect(r.err).not.toMatch(/counted as written/);
    }, 60_000);

  it('after a restart of MariaDB (UPDATE_TIME gone): every table measured exactly, a login still not a write, writes found', async () => {
    await q(`DROP TABLE IF EXISTS ${db}.llx_new`);
    await mark();
    await server.restart();
    const times = await q(
      `SELECT COUNT(*), SUM(update_time IS NULL) FROM information_schema.tables WHERE table_schema = '${db}'`,
    );
    expect(times).toEqual([['5', '5']]);
    let r = await check();
    expect(r.code, r.err).toBe(0);
    expect(measured(r.out)).toEqual([5, 5]);
    await q(login);
    r = await check();
    expect(r.code, r.err).toBe(0);
    await q(`UPDATE ${db}.llx_facturedet SET description = 'changed' WHERE rowid = 10`);
    r = await check();
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/llx_facturedet: /);
  }, 120_000);

  it('after a restart, an UPDATE of a table with tms is found (its UPDATE_TIME was NULL, then moved)', async () => {
    await mark();
    await server.restart();
    await q(`UPDATE ${db}.llx_societe SET nom = 'After restart' WHERE rowid = 11`);
    const r = await check();
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/llx_societe: /);
  }, 120_000);

  it('after a restart AUTO_INCREMENT may fall (reserved values forgotten): an INSERT is still found, by its rows', async () => {
    await q(`INSERT INTO ${db}.llx_facturedet (fk_facture, qty) SELECT seq, 1 FROM ${db}.seq_1_to_20`);
    await mark();
    const ai = async () =>
      Number(
        (
          await q(
            `SELECT auto_increment FROM information_schema.tables WHERE table_schema = '${db}' AND table_name = 'llx_facturedet'`,
          )
        )[0]![0],
      );
    const before = await ai();
    await server.restart();
    await q(`INSERT INTO ${db}.llx_facturedet (fk_facture, qty) VALUES (99, 1)`);
    expect(await ai()).toBeLessThanOrEqual(before);
    const r = await check();
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/llx_facturedet: /);
  }, 120_000);

  it('a write in the very second the mark started in, to a table written in that second too (UPDATE_TIME unchanged), is found', async () => {
    const ut = async () =>
      (
        await q(
          `SELECT DATE_FORMAT(update_time, '%Y-%m-%d %H:%i:%s') FROM information_schema.tables WHERE table_schema = '${db}' AND table_name = 'llx_facturedet'`,
        )
      )[0]![0];
    for (let attempt = 0; ; attempt++) {
      await nextSecond();
      await q(`UPDATE ${db}.llx_facturedet SET qty = qty + 1 WHERE rowid = 20`);
      await mark();
      const before = await ut();
      await q(`UPDATE ${db}.llx_facturedet SET qty = qty + 1 WHERE rowid = 21`);
      const start = readFileSync(files().sql, 'utf8').split('\n')[1];
      // all in one second: the second write left UPDATE_TIME as the mark saw it
      if (before === start && (await ut()) === start) break;
      // (written in the mark's second: measured inside the window, never deferred)
      if (attempt === 5)
        throw new Error(`could not write, mark and write again within one second: ${before} ${start}`);
    }
    expect(deferred()).not.toContain('llx_facturedet');
    const r = await check();
    expect(r.code, r.out).toBe(1);
    expect(r.err).toMatch(/llx_facturedet: .* -> /);
  }, 60_000);

  it('a mark of session 6 (every table measured in the window, no exact part) is still compared as then', async () => {
    await mark();
    // fold the exact part into the mark, as session 6 wrote it, and remove the exact part
    const late = new Map(
      readFileSync(files().exact, 'utf8')
        .split('\n')
        .slice(1)
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf('\t')), l.slice(l.indexOf('\t') + 1)] as const),
    );
    const lines = readFileSync(files().mark, 'utf8').split('\n');
    const whole = lines.map((l) => {
      const f = l.split('\t');
      return f[4] === 'deferred' ? [...f.slice(0, 4), late.get(f[0]!)].join('\t') : l;
    });
    expect(whole.join('\n')).not.toMatch(/deferred|moved/);
    writeFileSync(files().mark, whole.join('\n'));
    rmSync(files().exact);
    await server.restart();
    let r = await check();
    expect(r.code, r.err).toBe(0);
    expect(measured(r.out)).toEqual([5, 5]);
    await q(`DELETE FROM ${db}.llx_categorie_product WHERE fk_product = 30`);
    r = await check();
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/llx_categorie_product: .* -> /);
  }, 120_000);

  it('a mark taken by the previous mokodeploy (lines `ai …`, one SQL file) is compared whole, as then', async () => {
    const old = {
      mark: join(dir, 'old-mark.tsv'),
      sql: join(dir, 'old.sql'),
      now: join(dir, 'old-now.tsv'),
      exact: join(dir, 'old-exact.tsv'),
    };
    writeFileSync(old.sql, `SELECT 'ai', 'llx_societe', COUNT(*) FROM ${db}.llx_societe;\n`);
    const [[rows]] = (await q(`SELECT COUNT(*) FROM ${db}.llx_societe`)) as [[string]];
    writeFileSync(old.mark, `ai\tllx_societe\t${rows}\n`);
    expect((await run(checkWritesCommand(old, client()))).code).toBe(0);
    writeFileSync(old.mark, `ai\tllx_societe\t${Number(rows) + 1}\n`);
    const r = await run(checkWritesCommand(old, client()));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/< at the switch/);
  }, 30_000);

  it('no mark: cannot tell (exit 3)', async () => {
    const r = await run(checkWritesCommand({ ...files(), mark: join(dir, 'none.tsv') }, client()));
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/no write mark/);
  }, 30_000);
});

describe("the write mark's exact part after writes are back (issue 19: the window no longer grows with the data)", () => {
  const big = ['llx_categorie_product', 'llx_facturedet', 'llx_societe'];
  const exactLines = () => readFileSync(files().exact, 'utf8').split('\n').filter(Boolean);
  // every big table written since the last restart (its UPDATE_TIME known), as the copy and the migration leave them
  beforeEach(async () => {
    await q(`USE ${db}; UPDATE llx_societe SET datec = NOW() - INTERVAL 1 DAY WHERE rowid = 1;
      UPDATE llx_facturedet SET qty = qty + 1 WHERE rowid = 1; DELETE FROM llx_categorie_product WHERE fk_product = 1;
      INSERT INTO llx_categorie_product (fk_categorie, fk_product) VALUES (1, 1);`);
  });

  it('inside the window only the metadata, llx_user and the small tables are measured; the rest after writes are back', async () => {
    await nextSecond();
    const out = await markWindow();
    expect(out).toMatch(/2 of 5 tables measured exactly in the window/);
    // llx_user (its login columns) and the empty table measured; the three tables of 3000-5000 rows deferred
    expect(deferred()).toEqual(big);
    expect(existsSync(files().exact)).toBe(false);
    const late = await markExact();
    expect(late).toMatch(/3 deferred tables measured in one consistent read, 0 of them written/);
    expect(exactLines()[0]).toBe(`start\t${readFileSync(files().sql, 'utf8').split('\n')[1]}`);
    expect(exactLines().slice(1).map((l) => l.split('\t')[0])).toEqual(big);
    expect(exactLines().join('\n')).not.toMatch(/moved/);
    const r = await check();
    expect(r.code, r.err).toBe(0);
    // and once UPDATE_TIME is gone, every table is compared with its measure from one part or the other
    await server.restart();
    const again = await check();
    expect(again.code, again.err).toBe(0);
    expect(measured(again.out)).toEqual([5, 5]);
  }, 120_000);

  it('a login between writes-back and the exact part, and after it, is not a write', async () => {
    await nextSecond();
    await markWindow();
    await q(login);
    await markExact();
    await q(login);
    const r = await check();
    expect(r.code, r.err).toBe(0);
  }, 60_000);

  it('a write between writes-back and the exact part: the table is kept as moved and counted as written, with the reason', async () => {
    await nextSecond();
    await markWindow();
    await q(`UPDATE ${db}.llx_societe SET nom = 'Written before the exact read' WHERE rowid = 12`);
    const late = await markExact();
    expect(late).toMatch(/1 of them written since writes came back .*: llx_societe/);
    expect(exactLines()).toContain('llx_societe\tmoved');
    const r = await check();
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/llx_societe: written after writes came back, before the exact part of the mark read it: counted as written/);
    expect(r.err).not.toMatch(/llx_facturedet|llx_categorie_product|llx_user/);
  }, 60_000);

  it('an INSERT rolled back before the exact part moves AUTO_INCREMENT only: conservative, counted as written', async () => {
    await nextSecond();
    await markWindow();
    await q(`START TRANSACTION; INSERT INTO ${db}.llx_facturedet (fk_facture, qty) VALUES (1, 1); ROLLBACK;`);
    await markExact();
    expect(exactLines()).toContain('llx_facturedet\tmoved');
  }, 60_000);

  it('a write after the exact part is found by its measure', async () => {
    await nextSecond();
    await mark();
    await q(`UPDATE ${db}.llx_facturedet SET total_ht = total_ht + 1 WHERE rowid = 15`);
    const r = await check();
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/llx_facturedet: .* -> /);
    expect(r.err).not.toMatch(/counted as written/);
  }, 60_000);

  it('the exact part missing (killed or failed): nothing moved still passes; a moved table counts as written, and says why', async () => {
    await nextSecond();
    await markWindow();
    let r = await check();
    expect(r.code, r.err).toBe(0);
    await q(`DELETE FROM ${db}.llx_categorie_product WHERE fk_product = 40`);
    r = await check();
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /llx_categorie_product: moved since the switch, and the exact measure taken after writes came back is missing \(the step after writes came back was killed, failed or has not run\): counted as written/,
    );
    // an exact part of another mark is not used
    await nextSecond();
    await markWindow();
    writeFileSync(files().exact, `start\t2000-01-01 00:00:00\nllx_societe\tanything\n`);
    await q(`UPDATE ${db}.llx_societe SET nom = 'x' WHERE rowid = 13`);
    r = await check();
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/llx_societe: moved since the switch, .* is of another mark: counted as written/);
  }, 60_000);

  it('the exact part failing exits 4 (accepted by its step) and writes nothing', async () => {
    await nextSecond();
    await markWindow();
    const bad = [...client(), '--socket=/nonexistent/mariadb.sock'];
    const r = await run(writeMarkExactCommand(files(), bad));
    expect(r.code).toBe(4);
    expect(r.out).toMatch(/exact part failed .* counted as written|exact part failed/);
    expect(existsSync(files().exact)).toBe(false);
  }, 60_000);

  it('a restart between the mark and its exact part: every deferred table counts as moved (UPDATE_TIME gone)', async () => {
    await nextSecond();
    await markWindow();
    await server.restart();
    await markExact();
    expect(exactLines().slice(1)).toEqual(big.map((t) => `${t}\tmoved`));
    const r = await check();
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/counted as written/);
  }, 120_000);

  it('MariaDB: CHECKSUM TABLE inside START TRANSACTION WITH CONSISTENT SNAPSHOT reads the snapshot (no implicit commit)', async () => {
    const sum = async () => (await q(`CHECKSUM TABLE ${db}.llx_c_empty`))[0]![1];
    const before = await sum();
    const reader = execFileAsync(client()[0]!, [
      ...client().slice(1),
      '--batch',
      '--skip-column-names',
      '-e',
      `START TRANSACTION WITH CONSISTENT SNAPSHOT; SELECT SLEEP(2); CHECKSUM TABLE ${db}.llx_c_empty; CHECKSUM TABLE ${db}.llx_c_empty; COMMIT;`,
    ]);
    await new Promise((res) => setTimeout(res, 700));
    await q(`INSERT INTO ${db}.llx_c_empty VALUES (1, 'new')`);
    const lines = (await reader).stdout.trim().split('\n').slice(1);
    expect(lines.map((l) => l.split('\t')[1])).toEqual([before, before]);
    expect(await sum()).not.toBe(before);
    await q(`DELETE FROM ${db}.llx_c_empty`);
  }, 60_000);
});
