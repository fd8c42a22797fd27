/**
 * Benchmark (issue 4): the fresh install's wall time against a bare script that does only the
 * unavoidable work — extract the release, create the database, load the schema and reference data,
 * write conf.php — on the same machine, same MariaDB, in the same run (goal: at most 1.3x).
 *   npx tsx bench/install.ts [--release PATH/dolibarr-X.Y.Z.tgz] [--runs N]
 * Without --release it uses the fixture release. Run as root. Prints the figures.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildFixtureRelease } from '../test/helpers/fixture-release/build.js';
import { startInstallStack } from '../test/helpers/install-stack/index.js';
import { startMariadb, type Mariadb } from '../test/helpers/services/index.js';

const { values } = parseArgs({
  options: { release: { type: 'string' }, runs: { type: 'string', default: '3' } },
});
const runs = Number(values.runs);
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function release(): { tarball: string; version: string; sha256: string } {
  if (!values.release)
    return buildFixtureRelease({ version: '20.0.2' }, mkdtempSync(join(tmpdir(), 'moko-bench-install-')));
  const version = /dolibarr-(\d+\.\d+\.\d+)\.tgz$/.exec(basename(values.release))?.[1] ?? '0.0.0';
  return {
    tarball: values.release,
    version,
    sha256: createHash('sha256').update(readFileSync(values.release)).digest('hex'),
  };
}

/** Only what any install must do: extract, create the database, load tables/keys/data, write conf.php. */
function bareInstall(db: Mariadb, tarball: string, n: number): number {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'moko-bare-'));
  execFileSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1']);
  const sqlDir = join(dir, 'htdocs', 'install', 'mysql');
  const name = `bare_${n}`;
  const client = [...db.rootClient.argv];
  execFileSync(client[0]!, [
    ...client.slice(1),
    '-e',
    `CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  ]);
  const files = (sub: string, keys: boolean) =>
    readdirSync(join(sqlDir, sub))
      // as step2 and the official docker image: no file with '-' in its name, no accounting charts
      // (llx_accounting_account_*, loaded only when a chart of accounts is chosen)
      .filter((f) => f.endsWith('.sql') && !f.includes('-') && f.endsWith('.key.sql') === keys)
      .filter((f) => !f.startsWith('llx_accounting_account_'))
      .sort()
      .map((f) => readFileSync(join(sqlDir, sub, f), 'utf8').replace(/__ENTITY__/g, '1'));
  const sql = [...files('tables', false), ...files('tables', true), ...files('data', false)].join(';\n');
  execFileSync(client[0]!, [...client.slice(1), '--force', name], {
    input: sql,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  writeFileSync(join(dir, 'htdocs', 'conf', 'conf.php'), `<?php\n$dolibarr_main_db_name='${name}';\n`);
  execFileSync('rm', ['-rf', dir]);
  return Date.now() - started;
}

async function main(): Promise<void> {
  const r = release();
  console.log(
    `machine      ${cpus().length} cores, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(`release      ${r.tarball} (${r.version})`);
  const tool: number[] = [];
  const bare: number[] = [];
  const db = await startMariadb();
  try {
    for (let i = 0; i < runs; i++) {
      bare.push(bareInstall(db, r.tarball, i));
      const stack = await startInstallStack({
        release: r.tarball,
        version: r.version,
        sha256: r.sha256,
        skipCron: Boolean(values.release),
      });
      tool.push(stack.installMs);
      await stack.stop();
      console.log(`run ${i + 1}        mokodeploy ${s(tool.at(-1)!)}   bare ${s(bare.at(-1)!)}`);
    }
  } finally {
    await db.stop();
  }
  const ratio = median(tool) / median(bare);
  console.log(
    `median       mokodeploy install ${s(median(tool))}, bare extract+schema+conf ${s(median(bare))}`,
  );
  console.log(`ratio        ${ratio.toFixed(2)}x (goal <= 1.3x) ${ratio <= 1.3 ? 'MET' : 'NOT MET'}`);
}

void main();
