/**
 * Benchmark (issue 19): the write check of a rollback before writes (src/steps/upgrade-copy/write-mark.ts) on a
 * real Dolibarr schema (install/mysql/tables and data of the release), filled with N third parties (contacts,
 * products, proposals and invoices in proportion, upgrade-data.ts), on a throw-away MariaDB:
 *   npm run bench -- write-check [--release dolibarr-20.0.2.tgz] [--sizes 10000,100000,1000000]
 * Prints, per size: the mark in its two parts (inside the write-unavailable window: metadata, llx_user and the small
 * tables; after writes are back: the rest in one consistent read), the check with nothing written (metadata only), after a login (llx_user measured),
 * after a client's UPDATE of one third party (llx_societe measured too), and after a server restart (UPDATE_TIME
 * gone: every table measured, as the whole check did before), each with the load average beside it. Run as root.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { promisify } from 'node:util';
import type { Command } from '../src/hosts/host.js';
import {
  checkWritesCommand,
  writeMarkCommand,
  writeMarkExactCommand,
} from '../src/steps/upgrade-copy/write-mark.js';
import { startMariadb, type Mariadb } from '../test/helpers/services/index.js';
import { fillSchema } from './upgrade-data.js';

const execFileAsync = promisify(execFile);
const { values } = parseArgs({
  options: {
    release: { type: 'string', default: '/work/releases/dolibarr-20.0.2.tgz' },
    sizes: { type: 'string', default: '10000,100000,1000000' },
  },
});

const load = () => loadavg()[0]!.toFixed(1);

/** Dolibarr's own table, key and data files, in the installer's order (step2.php: tables, keys, data). */
function schemaSql(release: string, out: string): string {
  execFileSync('tar', [
    '-xzf',
    release,
    '-C',
    out,
    '--wildcards',
    '*/htdocs/install/mysql/tables/*',
    '*/htdocs/install/mysql/data/*',
  ]);
  const root = readdirSync(out).find((d) => d.startsWith('dolibarr-'))!;
  const dir = (d: string) => join(out, root, 'htdocs/install/mysql', d);
  // step2.php l.196-200: lines starting with `--` dropped, and in table files `--…` to the line's end (Dolibarr writes
  // `--module_comm …`, not a comment for MariaDB)
  const files = (d: string, f: (n: string) => boolean) =>
    readdirSync(dir(d))
      .filter((n) => n.endsWith('.sql') && f(n))
      .sort()
      .map((n) =>
        readFileSync(join(dir(d), n), 'utf8')
          .split('\n')
          .filter((l) => !l.startsWith('--'))
          .map((l) => (d === 'tables' ? l.replace(/--.*$/, '') : l))
          .join('\n'),
      );
  // one transaction for the data files' single-row INSERTs (a commit each took minutes on a loaded machine)
  const sql = [
    'SET autocommit = 0;',
    ...files('tables', (n) => !n.includes('.key.')),
    ...files('tables', (n) => n.includes('.key.')),
    ...files('data', () => true),
    "INSERT INTO llx_user (login, entity, admin, lastname, pass_crypted, datec) VALUES ('admin', 0, 1, 'Admin', 'x', NOW());",
    'COMMIT;',
  ].join('\n');
  const path = join(out, 'schema.sql');
  writeFileSync(path, sql);
  return path;
}

async function timed(c: Command): Promise<{ s: number; code: number; out: string }> {
  const t = Date.now();
  const r = await execFileAsync(c.argv[0]!, c.argv.slice(1), { timeout: 3_600_000 }).then(
    (x) => ({ code: 0, out: x.stdout.trim() }),
    (e: { code?: number; stderr?: string }) => ({ code: e.code ?? -1, out: (e.stderr ?? '').trim() }),
  );
  return { s: (Date.now() - t) / 1000, ...r };
}

async function one(server: Mariadb, schema: string, n: number, dir: string): Promise<string[]> {
  const db = `acme_crm_mk${n}`;
  const client = server.rootClient.argv.filter((a) => !['--batch', '--skip-column-names'].includes(a));
  await server.rootClient.query(
    `DROP DATABASE IF EXISTS ${db}; CREATE DATABASE ${db} CHARACTER SET utf8 COLLATE utf8_unicode_ci`,
  );
  const t0 = Date.now();
  const lines0: string[] = [];
  execFileSync('sh', [
    '-c',
    'db="$1"; f="$2"; shift 2; "$@" --force "$db" < "$f" 2>/dev/null || true',
    'sh',
    db,
    schema,
    ...client,
  ]);
  lines0.push(`  schema and dictionaries loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const t = Date.now();
  const loaded = await fillSchema(server.rootClient, db, n);
  const loadS = (Date.now() - t) / 1000;
  const [[mb, tables]] = (await server.rootClient.query(
    `SELECT ROUND(SUM(data_length + index_length) / 1e6), COUNT(*) FROM information_schema.tables WHERE table_schema = '${db}'`,
  )) as [[string, string]];
  const files = {
    mark: join(dir, `${db}.tsv`),
    sql: join(dir, `${db}.sql`),
    now: join(dir, `${db}-now.tsv`),
    exact: join(dir, `${db}-exact.tsv`),
  };
  const lines: string[] = [
    `${n} third parties: ${Object.values(loaded).reduce((a, b) => a + b, 0)} rows loaded in ${loadS.toFixed(1)} s (load ${load()}), ${mb} MB, ${tables} tables`,
    ...lines0,
  ];
  const row = async (what: string, c: Command, expect: number) => {
    const l = load();
    const r = await timed(c);
    const how =
      /\((\d+ of \d+) tables measured exactly/.exec(r.out)?.[1] ??
      /(\d+ of \d+ tables measured exactly in the window|\d+ deferred tables measured in one consistent read)/.exec(
        r.out,
      )?.[1] ??
      r.out.split('\n').slice(0, 3).join(' | ');
    lines.push(
      `  ${what.padEnd(34)} ${r.s.toFixed(2).padStart(7)} s  load ${l.padStart(5)}  ${r.code === expect ? '' : `UNEXPECTED exit ${r.code}: `}${how}`,
    );
  };
  // as in an upgrade, the last write (here the load, there our own steps) is in an earlier second than the mark
  const nextSecond = () => new Promise((res) => setTimeout(res, 1100));
  await nextSecond();
  await row('mark, in the window', writeMarkCommand(db, files, client), 0);
  await row('mark, exact part after writes back', writeMarkExactCommand(files, client), 0);
  await row('check, nothing written', checkWritesCommand(files, client), 0);
  await server.rootClient.query(
    `UPDATE ${db}.llx_user SET datepreviouslogin = datelastlogin, datelastlogin = NOW(), iplastlogin = '127.0.0.1', tms = tms`,
  );
  await row('check after a login', checkWritesCommand(files, client), 0);
  await server.rootClient.query(`UPDATE ${db}.llx_societe SET town = 'Elsewhere' WHERE code_client = 'CU7'`);
  await row('check after a client UPDATE', checkWritesCommand(files, client), 1);
  await nextSecond();
  await row('mark again, in the window', writeMarkCommand(db, files, client), 0);
  await row('mark again, exact part', writeMarkExactCommand(files, client), 0);
  await server.restart();
  await row('check after a restart (all exact)', checkWritesCommand(files, client), 0);
  await row('check again (UPDATE_TIME still NULL)', checkWritesCommand(files, client), 0);
  await server.rootClient.query(`UPDATE ${db}.llx_societe SET town = 'Again' WHERE code_client = 'CU8'`);
  await row('after a restart, a client UPDATE', checkWritesCommand(files, client), 1);
  await server.rootClient.query(`DROP DATABASE ${db}`);
  return lines;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'moko-bench-write-check-'));
  const server = await startMariadb({
    args: ['--innodb-buffer-pool-size=1G', '--innodb-log-file-size=256M'],
  });
  try {
    const schema = schemaSql(values.release, dir);
    console.log(
      `write check on ${values.release}, load ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
    );
    for (const n of values.sizes.split(',').map(Number)) {
      const lines = await one(server, schema, n, dir);
      console.log(lines.join('\n'));
    }
  } finally {
    await server.stop();
    execFileSync('rm', ['-rf', dir]);
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  },
);
