/**
 * Benchmark (issues 5 and 19): both upgrade engines side by side, on the fixture release (CI smoke) or on real
 * Dolibarr releases, with real MariaDB, PHP-FPM and nginx:
 *   npm run bench -- upgrade [--release NEW.tgz --from OLD.tgz] [--sizes 10000,100000] [--engines copy,in-place] [--smoke]
 * For every size and engine: a fresh install of OLD filled with N third parties (contacts, products, proposals and
 * invoices in proportion, upgrade-data.ts), a prober asking for the login page and a logged-in page every 50 ms
 * (page-prober.ts), the upgrade, a login while writes are unavailable, then the rollback after the switch (copy:
 * before writes, nothing restored; in-place: the verified restore of the backup) and a raw `mariadb < dump` of the
 * same backup. Prints one table. --smoke (fixture, small) exits 1 when the copy engine misses the goals of issue 19
 * (outage < 1 s, rollback before writes < 1 s of outage). Run as root.
 * --rehearse: before each real upgrade, `mokodeploy rehearse`'s engine (steps/rehearse/run-rehearsal.ts) on a backup
 * of the same database, with the same engine; prints its prediction against what the real upgrade then did, with the
 * error in % (issue 19: within 20% at each size). --smoke --rehearse also fails on a run without a prediction, and with
 * --max-error P on an error of P % or more.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { backupLayout } from '../src/backup/layout.js';
import { planSchema } from '../src/core/plan.js';
import { loginThroughForm } from '../src/dolibarr/login-form.js';
import { gatherRollbackFacts } from '../src/steps/rollback/facts.js';
import { runRollbackBeforeWrites } from '../src/steps/rollback/run-before-writes.js';
import { runRollback } from '../src/steps/rollback/run-rollback.js';
import { runCopyUpgrade } from '../src/steps/upgrade-copy/run-copy-upgrade.js';
import { gatherUpgradeFacts } from '../src/steps/upgrade/facts.js';
import { runUpgrade } from '../src/steps/upgrade/run-upgrade.js';
import { backupPipeline } from '../src/backup/index.js';
import { releaseStamp } from '../src/dolibarr/layout.js';
import { runRehearsal } from '../src/steps/rehearse/run-rehearsal.js';
import { predictionErrorPercent, type Prediction } from '../src/steps/rehearse/predict.js';
import { runPipeline } from '../src/steps/upgrade/engine-run.js';
import type { RunEvent } from '../src/runner/index.js';
import { buildFixtureRelease } from '../test/helpers/fixture-release/build.js';
import { caOf, startInstallStack } from '../test/helpers/install-stack/index.js';
import { engineFor, upgradeOverrides } from '../test/helpers/upgrade/index.js';
import { startPageProbe } from './page-prober.js';
import { databaseMb, fillDatabase } from './upgrade-data.js';

const { values } = parseArgs({
  options: {
    release: { type: 'string' },
    from: { type: 'string' },
    sizes: { type: 'string' },
    engines: { type: 'string', default: 'copy,in-place' },
    smoke: { type: 'boolean', default: false },
    rehearse: { type: 'boolean', default: false },
    'reload-seconds': { type: 'string' },
    'max-error': { type: 'string' },
    // the raw `mariadb < dump` takes as long as the backup's restore test (backup:restore-test, printed in steps)
    'skip-raw': { type: 'boolean', default: false },
  },
});

interface Row {
  engine: string;
  size: number;
  mb: number;
  outcome: string;
  outage: number;
  slowestMs: number;
  writeUnavailable?: number;
  loginInWindow?: string;
  total: number;
  rollback?: number;
  rollbackOutage?: number;
  rollbackNote?: string;
  raw?: number;
  /** --rehearse: the rehearsal's prediction, and what the real upgrade did on the same measure. */
  predicted?: Prediction;
  actualOutageMeasure?: number;
  rehearsalSeconds?: number;
  /** PHP-FPM reloads (php-fpm's log: "Reloading in progress") during the upgrade and during the rollback. */
  reloads?: string;
  /** The 1-minute load average at the upgrade's start and end. */
  load?: string;
}

/** php-fpm logs every SIGUSR2 it acts on ("Reloading in progress ...", fpm_pctl.c). */
const reloadsOf = (stack: { dir: string }) => {
  const log = join(stack.dir, 'fpm', 'php-fpm.log');
  return existsSync(log) ? (readFileSync(log, 'utf8').match(/Reloading in progress/g) ?? []).length : 0;
};
const load1 = () => loadavg()[0]!.toFixed(1);

const versionOf = (p: string) => /dolibarr-(\d+\.\d+\.\d+)\.tgz$/.exec(basename(p))?.[1];
async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function releases(out: string) {
  if (!values.release || !values.from) {
    const o = buildFixtureRelease({ version: '19.0.4' }, join(out, 'old'));
    const n = buildFixtureRelease({ version: '20.0.2' }, join(out, 'new'));
    return { old: o, next: n, real: false };
  }
  const rel = async (p: string) => ({ tarball: p, version: versionOf(p)!, sha256: await sha256(p) });
  return { old: await rel(values.from), next: await rel(values.release), real: true };
}

async function one(engine: string, size: number, r: Awaited<ReturnType<typeof releases>>): Promise<Row> {
  const stack = await startInstallStack({
    release: r.old.tarball,
    version: r.old.version,
    sha256: r.old.sha256,
    mariadbArgs: ['--innodb-buffer-pool-size=256M', '--innodb-log-file-size=128M'],
  });
  try {
    await fillDatabase(stack, size);
    const mb = await databaseMb(stack);
    const plan = planSchema.parse({
      ...stack.plan,
      kind: 'upgrade',
      dolibarr: { version: r.next.version, release: r.next.tarball, sha256: r.next.sha256 },
    });
    const password = stack.secrets.secret(plan.admin.password.secret);
    // --rehearse: the site's traffic (the prober) runs during the rehearsal as during the upgrade, as production serves
    // its users while `mokodeploy rehearse` works beside it
    const probe = startPageProbe({
      url: plan.site.url,
      address: '127.0.0.1',
      ca: caOf(stack),
      login: plan.admin.login,
      password: password.reveal(),
    });
    const rehearsal = values.rehearse ? await rehearse(stack, plan, engine) : undefined;
    const facts = await gatherUpgradeFacts(stack.host, plan, {
      ...upgradeOverrides(stack),
      ...(r.real ? { skipCron: true } : {}),
    });
    const access = { address: '127.0.0.1', ca: caOf(stack) };
    // a login while writes are unavailable (copy: read-only; in-place: maintenance), and whether it ended in the window
    let windowLogin: Promise<{ text: string; at: number }> | undefined;
    let windowEnd = Infinity;
    const events = (ev: RunEvent) => {
      if (
        ev.type === 'step-done' &&
        !windowLogin &&
        ['upgrade:read-only-on', 'upgrade:maintenance-on'].includes(ev.step)
      )
        windowLogin = loginThroughForm({
          url: plan.site.url,
          login: plan.admin.login,
          password,
          ...access,
          timeoutMs: 10_000,
        }).then(
          (x) => ({ text: x.ok ? 'OK' : `refused: ${x.reason}`, at: Date.now() }),
          // a page slower than the timeout (1M rows on a loaded machine) is a result, not a crash of the bench
          (e: Error) => ({ text: `failed: ${e.message}`, at: Date.now() }),
        );
      if (ev.type === 'step-start' && ['upgrade:switch', 'upgrade:maintenance-off'].includes(ev.step))
        windowEnd = Date.parse(ev.at);
    };
    await new Promise((res) => setTimeout(res, 1000));
    const upgradeStart = Date.now();
    const reloads0 = reloadsOf(stack);
    const load0 = load1();
    const e = {
      ...engineFor(stack, { ...stack.ctx, plan, facts: { ...facts } }),
      probe: false,
      access,
      events,
    };
    const up = engine === 'copy' ? await runCopyUpgrade(e) : await runUpgrade(e);
    await new Promise((res) => setTimeout(res, 500));
    const seen = probe.since(upgradeStart);
    const reloads1 = reloadsOf(stack);
    const row: Row = {
      reloads: String(reloads1 - reloads0),
      load: `${load0}-${load1()}`,
      engine,
      size,
      mb,
      outcome: up.outcome,
      outage: seen.outageSeconds,
      slowestMs: seen.slowestMs,
      writeUnavailable:
        'writeUnavailable' in up
          ? (up.writeUnavailable as { seconds?: number } | undefined)?.seconds
          : up.outage?.seconds,
      loginInWindow: await windowLogin?.then((x) => `${x.text}${x.at > windowEnd ? ' (late)' : ''}`),
      total: up.durationMs / 1000,
      predicted: rehearsal?.prediction,
      rehearsalSeconds: rehearsal ? rehearsal.durationMs / 1000 : undefined,
    };
    if (rehearsal?.prediction) {
      const outageIds = rehearsal.prediction.parts
        .filter((p) => outageIdsOf(engine).includes(p.id))
        .map((p) => p.id);
      row.actualOutageMeasure =
        engine === 'copy'
          ? up.steps.filter((x) => outageIds.includes(x.id)).reduce((t, x) => t + x.ms, 0) / 1000
          : row.writeUnavailable;
      console.log(
        `  ${engine} ${size}: rehearsal ${rehearsal.prediction.parts.map((p) => `${p.id.replace(/^upgrade:/, '')} ${p.seconds}${p.basis === 'measured' ? '' : p.basis[0]}`).join(', ')}${rehearsal.sizes?.warning ? `; ${rehearsal.sizes.warning}` : ''}`,
      );
      console.log(
        `  ${engine} ${size}: real      ${up.steps
          .filter((x) => rehearsal.prediction!.parts.some((p) => p.id === x.id))
          .map((x) => `${x.id.replace(/^upgrade:/, '')} ${(x.ms / 1000).toFixed(2)}`)
          .join(', ')}`,
      );
    } else if (rehearsal)
      console.log(
        `  ${engine} ${size}: rehearsal gave no prediction: ${rehearsal.upgrade?.reason ?? rehearsal.restore.reason}`,
      );
    if (seen.outages.length) console.log(`  ${engine} ${size}: outages ${JSON.stringify(seen.outages)}`);
    console.log(
      `  ${engine} ${size}: steps ${up.steps
        .filter((x) => x.ms > 300)
        .map((x) => `${x.id.replace(/^upgrade:/, '')} ${(x.ms / 1000).toFixed(2)}`)
        .join(', ')}`,
    );
    const users = async () =>
      JSON.stringify(
        await stack.db.rootClient.query(
          `SELECT login, datelastlogin, datepreviouslogin, tms FROM ${'liveDatabase' in up && up.liveDatabase ? String(up.liveDatabase) : plan.database.name}.llx_user`,
        ),
      );
    console.log(`  llx_user after the upgrade: ${await users()}`);
    if (engine === 'copy')
      console.log(
        `  live database: ${'liveDatabase' in up ? String(up.liveDatabase) : '?'} (the old one kept whole: ${'archiveDatabase' in up ? String(up.archiveDatabase) : '?'})`,
      );
    if (up.outcome !== 'upgraded') {
      console.log(`  ${engine} ${size}: ${up.outcome}: ${up.reason}`);
      await probe.stop();
      return row;
    }
    const rbStart = Date.now();
    if (engine === 'copy') {
      const rbEngine = {
        ...engineFor(stack, {
          ...stack.ctx,
          plan,
          facts: { ...up.facts, badRelease: up.newRelease, reason: 'bench' },
        }),
        access,
        probe: false,
      };
      let refusal = '';
      const rb = await runRollbackBeforeWrites(rbEngine).catch(async (err: Error) => {
        // measured all the same (the mechanism), flagged: the check found writes
        refusal = `check refused (${err.message.replace(/\s+/g, ' ')}), rolled back without it; `;
        console.log(`  llx_user at the rollback: ${await users()}`);
        return runRollbackBeforeWrites({ ...rbEngine, requireNoWrites: false });
      });
      row.rollback = ((rb.switchWindow?.seconds ?? 0) * 1000) / 1000;
      row.rollbackNote =
        refusal +
        (rb.ok
          ? `switch back ${rb.switchWindow?.seconds} s; check for writes ${((rb.checkMs ?? 0) / 1000).toFixed(2)} s; in all ${(rb.durationMs / 1000).toFixed(2)} s`
          : `FAILED ${rb.reason}`);
    } else {
      const rbFacts = await gatherRollbackFacts(stack.host, stack.plan, {
        backupStamp: up.backupStamp,
        previousRelease: up.previousRelease,
        phpReload: upgradeOverrides(stack).phpReload,
        reason: 'bench',
      });
      const rb = await runRollback({
        ...engineFor(stack, { ...stack.ctx, facts: { ...rbFacts } }),
        access,
        probe: false,
      });
      row.rollback = rb.durationMs / 1000;
      row.rollbackNote = rb.ok
        ? `verified restore, maintenance ${rb.outage?.seconds ?? '?'} s`
        : `FAILED ${rb.reason}`;
    }
    await new Promise((res) => setTimeout(res, 500));
    const rbSeen = probe.since(rbStart);
    row.reloads = `${row.reloads}+${reloadsOf(stack) - reloads1}`;
    await probe.stop();
    row.rollbackOutage = rbSeen.outageSeconds;
    if (rbSeen.outages.length)
      console.log(`  ${engine} ${size} rollback: outages ${JSON.stringify(rbSeen.outages)}`);
    if (values['skip-raw']) return row;
    const dump = backupLayout(stack.plan.target.backupRoot, up.backupStamp).database;
    await stack.db.rootClient.query('CREATE DATABASE acme_raw');
    const t = Date.now();
    execFileSync('sh', ['-c', '"$@" acme_raw < "$0"', dump, ...stack.db.rootClient.argv]);
    row.raw = (Date.now() - t) / 1000;
    return row;
  } finally {
    await stack.stop();
  }
}

const f = (x: number | undefined, d = 2) => (x === undefined ? '-' : x.toFixed(d));

/** The steps a copy engine's switch holds readers on (predict.ts's outage for copy). */
const outageIdsOf = (engine: string) =>
  engine === 'copy' ? ['upgrade:swap-database', 'upgrade:switch', 'upgrade:reload-php'] : [];

/** `mokodeploy rehearse` as it runs: a backup of production, then the rehearsal from it with the same engine. */
async function rehearse(
  stack: Awaited<ReturnType<typeof startInstallStack>>,
  plan: ReturnType<typeof planSchema.parse>,
  engine: string,
) {
  const stamp = releaseStamp(new Date());
  const backupCtx = { ...stack.ctx, facts: { ...stack.ctx.facts, stamp } };
  const b = await runPipeline(engineFor(stack, backupCtx), 'backup', backupPipeline(), backupCtx.facts);
  if (!b.ok) throw b.error ?? new Error('backup for the rehearsal failed');
  const reloadSeconds = values['reload-seconds'] === undefined ? undefined : Number(values['reload-seconds']);
  return runRehearsal(engineFor(stack, { ...stack.ctx, plan, facts: {} }), {
    engine: engine === 'copy' ? 'copy' : 'in-place',
    reloadSeconds,
  });
}

function printPredictions(rows: Row[]) {
  const withPrediction = rows.filter((r) => r.predicted);
  if (!withPrediction.length) return;
  console.log(
    '\nprediction (rehearse) vs the real upgrade\nengine    size     MB   writes-off: predicted  actual  error   outage: predicted  actual  error   prober-outage  slowest  rehearsal  load rehearsal/upgrade',
  );
  for (const r of withPrediction) {
    const p = r.predicted!;
    const e1 =
      r.writeUnavailable === undefined
        ? undefined
        : predictionErrorPercent(p.writeUnavailableSeconds, r.writeUnavailable);
    const e2 =
      r.actualOutageMeasure === undefined
        ? undefined
        : predictionErrorPercent(p.outageSeconds, r.actualOutageMeasure);
    const pct = (x: number | undefined) => (x === undefined ? '-' : `${x > 0 ? '+' : ''}${x.toFixed(1)}%`);
    console.log(
      `${r.engine.padEnd(9)} ${String(r.size).padStart(7)} ${f(r.mb, 0).padStart(5)}  ${f(p.writeUnavailableSeconds).padStart(19)}s ${f(r.writeUnavailable).padStart(6)}s ${pct(e1).padStart(7)}  ${f(p.outageSeconds).padStart(16)}s ${f(r.actualOutageMeasure).padStart(6)}s ${pct(e2).padStart(7)}  ${f(r.outage).padStart(12)}s ${String(r.slowestMs).padStart(6)}ms ${f(r.rehearsalSeconds, 1).padStart(8)}s  ${p.loadAverage ?? '?'}/${r.load ?? '?'}`,
    );
  }
}

/**
 * Rows without a prediction or an actual window, and with --max-error, rows whose write-unavailable prediction missed
 * by that % or more (issue 19's bound: 20, judged on real releases on a quiet machine). Without --max-error the
 * smoke checks that every run was predicted and measured, not a timing: a shared machine's load decides the error.
 */
function predictionMisses(rows: Row[]): Row[] {
  const bound = values['max-error'] === undefined ? undefined : Number(values['max-error']);
  return rows.filter(
    (r) =>
      !r.predicted ||
      !(r.predicted.writeUnavailableSeconds > 0) ||
      r.writeUnavailable === undefined ||
      (bound !== undefined &&
        Math.abs(predictionErrorPercent(r.predicted.writeUnavailableSeconds, r.writeUnavailable)) >= bound),
  );
}

function print(rows: Row[]) {
  console.log(
    '\nengine    size     MB   outcome    outage  slowest  writes-off  login-in-window  total    rollback  rb-outage  raw-restore  reloads  load      note',
  );
  for (const r of rows)
    console.log(
      `${r.engine.padEnd(9)} ${String(r.size).padStart(7)} ${f(r.mb, 0).padStart(5)}  ${r.outcome.padEnd(9)} ${f(r.outage).padStart(6)}s ${String(r.slowestMs).padStart(6)}ms ${f(r.writeUnavailable).padStart(9)}s  ${(r.loginInWindow ?? '-').slice(0, 15).padEnd(15)} ${f(r.total).padStart(6)}s ${f(r.rollback).padStart(8)}s ${f(r.rollbackOutage).padStart(8)}s ${f(r.raw).padStart(10)}s  ${(r.reloads ?? '-').padEnd(7)}  ${(r.load ?? '-').padEnd(8)}  ${r.rollbackNote ?? ''}`,
    );
}

async function main(): Promise<number> {
  const out = mkdtempSync(join(tmpdir(), 'moko-bench-upgrade-'));
  try {
    const r = await releases(out);
    const sizes = (values.sizes ?? (values.smoke ? '2000' : r.real ? '10000,100000' : '20000'))
      .split(',')
      .map(Number);
    const engines = (values.engines ?? 'copy,in-place').split(',');
    console.log(
      `machine  ${cpus().length} cores, load ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}; ${r.old.version} -> ${r.next.version}${r.real ? '' : ' (fixture)'}`,
    );
    const rows: Row[] = [];
    for (const size of sizes)
      for (const engine of engines) {
        const row = await one(engine, size, r);
        rows.push(row);
        print([row]);
      }
    print(rows);
    printPredictions(rows);
    console.log(
      `load at the end ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    if (values.smoke && values.rehearse && predictionMisses(rows).length) {
      console.log(
        `SMOKE FAILED: the rehearsal's prediction ${values['max-error'] === undefined ? 'is missing' : `missed by ${values['max-error']}% or more`} in ${predictionMisses(rows).length} run(s)`,
      );
      return 1;
    }
    if (values.smoke) {
      const copy = rows.filter((x) => x.engine === 'copy');
      const bad = copy.filter(
        (x) =>
          x.outcome !== 'upgraded' ||
          x.outage >= 1 ||
          (x.rollbackOutage ?? 9) >= 1 ||
          /FAILED|refused/.test(x.rollbackNote ?? 'FAILED'),
      );
      if (bad.length) {
        console.log(`SMOKE FAILED: the copy engine missed a goal of issue 19 in ${bad.length} run(s)`);
        return 1;
      }
    }
    return 0;
  } finally {
    execFileSync('rm', ['-rf', out]);
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(
      e instanceof Error ? ('describe' in e && typeof e.describe === 'function' ? e.describe() : e.stack) : e,
    );
    process.exit(1);
  },
);
