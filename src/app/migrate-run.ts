import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { AppContext } from './context.js';
import { inputError, MokoError, refused } from '../core/errors.js';
import { roleFor } from '../core/authorize.js';
import { recordMigration } from '../core/operations/migration.js';
import { SecretStore } from '../store/secrets.js';
import { readManifest } from '../migrate/manifest.js';
import { connectTarget, type TargetDb } from '../migrate/target.js';
import { runMigration, type RunResult } from '../migrate/run.js';
import { planMigration, planDataEntity, planTarget } from '../migrate/plan-data.js';
import { loadRecord } from '../cli/commands/records.js';
import { total, type MigrationReport } from '../migrate/report.js';
import type { SourceEncoding } from '../migrate/encoding.js';
import type { DeploymentRecord, Evidence } from '../core/record.js';

/** What `mokodeploy migrate run` and `migrate undo` do, behind the command definitions of commands/migrate.ts. */

export interface RunFlags {
  deployment?: string;
  dryRun?: boolean;
  sample?: string;
  acceptRejects?: boolean;
  encoding?: string;
  recoverQuotes?: boolean;
  as?: string;
}

const encodings: Record<string, SourceEncoding> = { 'utf-8': 'utf-8', utf8: 'utf-8', 'utf-16le': 'utf-16le', 'utf-16be': 'utf-16be', latin1: 'windows-1252', 'iso-8859-1': 'windows-1252', 'windows-1252': 'windows-1252' };

/** Rows of the sample run when `migrate run <deployment>` is not given --sample. */
export const defaultSample = 100;

function withPassword(app: AppContext, t: Omit<TargetDb, 'password'>, secret: string): TargetDb {
  return { ...t, password: new SecretStore(app.home).get(secret) };
}

function targetOf(app: AppContext, file: string): { manifest: ReturnType<typeof readManifest>; target: TargetDb } {
  const manifest = readManifest(file);
  const t = manifest.target;
  return { manifest, target: withPassword(app, { host: t.host, port: t.port, socket: t.socket, database: t.database, user: t.user, prefix: t.prefix }, t.password.secret) };
}

export function fileTarget(app: AppContext, file: string): { target: TargetDb; entity: number } {
  const { manifest, target } = targetOf(app, file);
  return { target, entity: manifest.entity };
}

/** The database of a deployment's plan (for undo: the data files need not be there any more). */
export async function deploymentTarget(app: AppContext, id: string): Promise<{ target: TargetDb; entity: number }> {
  const { plan } = (await loadRecord(app, id)).record;
  const { passwordSecret, ...t } = planTarget(plan);
  return { target: withPassword(app, t, passwordSecret), entity: planDataEntity(plan) };
}

/** A migration file, or a deployment whose plan lists the data (a path that exists, or has a / or .yaml, is a file). */
export function isMigrationFile(arg: string): boolean {
  return existsSync(arg) || arg.includes('/') || /\.ya?ml$/i.test(arg);
}

function humanReport(r: MigrationReport, dir: string): string {
  const lines = [`batch ${r.batch} (${r.mode}): ${r.outcome} — ${r.summary}`];
  for (const j of r.jobs) {
    const c = j.counts;
    lines.push(`  ${j.object.padEnd(10)} ${j.file}: ${c.source} rows, ${c.loaded} ${r.outcome === 'committed' ? 'loaded' : 'would load'}, ${c.alreadyPresent} already present, ${c.rejected} rejected${c.deferred ? `, ${c.deferred} deferred` : ''} [${j.encoding}, "${j.delimiter}"; ${j.read.scanned} records on ${j.read.lines} lines by the record count]`);
    for (const [column, d] of Object.entries(j.dates ?? {})) {
      lines.push(`    ${column} dates: ${Object.entries(d.matched).map(([f, n]) => `${f} ${n}`).join(', ')}${d.ambiguous ? `; ${d.ambiguous} ambiguous, e.g. ${d.example}` : ''}`);
    }
    const w = j.warnings;
    if (w.count > 0) {
      lines.push(`    ${w.count} row(s) with text damaged before export (lost letters ${w.byKind.lost}, double-encoded ${w.byKind['double-encoded']}, unreadable ${w.byKind.replacement}): loaded as they are, fix them at the source`);
      for (const x of w.rows.slice(0, 5)) lines.push(`    line ${x.line} (${x.field}): "${x.value}" (${x.kind})`);
    }
    for (const x of j.read.recoveries) lines.push(`    line ${x.line}: unclosed quote; the lines from ${x.resumeLine} were read again as records (--recover-quotes)`);
    for (const x of j.rejects.slice(0, 10)) lines.push(`    line ${x.line}${x.field ? ` (${x.field})` : ''}: ${x.reason}`);
    if (j.rejects.length > 10) lines.push(`    … ${j.rejects.length - 10} more in ${j.rejectsCsv}`);
  }
  lines.push(`  reconciled: ${r.reconciled ? 'yes' : 'no'}; report: ${join(dir, 'report.html')}`);
  return lines.join('\n');
}

/** Attach a run's report to the deployment (record-migration ticks what a good run proves). */
async function recordRun(app: AppContext, id: string, result: RunResult, as?: string): Promise<void> {
  const r = result.report;
  const evidence = (await app.storeEvidenceFile(result.files.json)) as Extract<Evidence, { kind: 'file' }>;
  await app.act(id, 'record-migration', {
    batch: r.batch, mode: r.mode, outcome: r.outcome, reconciled: r.reconciled,
    counts: { source: total(r, 'source'), loaded: total(r, 'loaded'), alreadyPresent: total(r, 'alreadyPresent'), rejected: total(r, 'rejected'), deferred: total(r, 'deferred') },
    report: { name: evidence.name, sha256: evidence.sha256, size: evidence.size },
    ...(r.backup && r.outcome === 'committed' ? { backup: { path: r.backup.dump.path, sha256: r.backup.dump.sha256 } } : {}),
  }, as);
}

/** A run that wrote nothing when it should have: one clear line, non-zero exit. */
function failureOf(result: RunResult): MokoError | undefined {
  const r = result.report;
  if (!r.recordsMatch) return refused(r.summary, { fix: `nothing was written; see ${result.files.html}` });
  if (r.outcome === 'refused') return refused(`${total(r, 'rejected')} row(s) rejected: nothing was written`, { fix: `fix the rows listed in ${result.files.html} (the rejects CSV can be fed again), or load the valid rows with --accept-rejects` });
  if (r.outcome === 'rolled-back' && r.mode !== 'dry-run') return refused('the migration did not reconcile: it was rolled back', { fix: `see ${result.files.html}` });
  return undefined;
}

function parseRunFlags(o: RunFlags): { sample?: number; encoding?: SourceEncoding } {
  const sample = o.sample === undefined ? undefined : z.coerce.number().int().positive().safeParse(o.sample);
  if (sample && !sample.success) throw inputError(`--sample ${o.sample}: expected a whole number above 0`);
  return { sample: sample?.data, encoding: parseEncoding(o.encoding) };
}

/** --encoding NAME as a decoder name (latin1 = windows-1252, as browsers read it). */
export function parseEncoding(name: string | undefined): SourceEncoding | undefined {
  const encoding = name === undefined ? undefined : encodings[name.toLowerCase()];
  if (name !== undefined && !encoding) throw inputError(`--encoding ${name}: unknown`, { fix: `one of: ${Object.keys(encodings).join(', ')}` });
  return encoding;
}

/**
 * Refuse before anything is written when the result could not be recorded on the deployment:
 * an unknown person or one without the permission (the refusal is audited), a closed deployment.
 */
async function checkRecordable(app: AppContext, id: string, as?: string): Promise<DeploymentRecord> {
  const actor = await app.actor(as);
  const { record } = await loadRecord(app, id);
  try {
    roleFor(app.policy(), actor, recordMigration.permission);
  } catch (e) {
    if (e instanceof MokoError) await app.recordRefusal(e, actor.login, recordMigration.name, id);
    throw e;
  }
  if (['closed', 'cancelled'].includes(record.state)) throw refused(`${id} is ${record.state}: no more migrations are recorded on it`);
  return record;
}

/** `migrate run FILE`: the migration file names the target and the jobs. */
export async function runFile(app: AppContext, file: string, o: RunFlags): Promise<void> {
  const flags = parseRunFlags(o);
  if (o.deployment) await checkRecordable(app, o.deployment, o.as);
  const { manifest, target } = targetOf(app, file);
  const db = await connectTarget(target);
  let result: RunResult;
  try {
    result = await runMigration(db, target, {
      jobs: manifest.jobs, entity: manifest.entity, createdBy: manifest.createdBy, now: app.now(),
      dryRun: o.dryRun ?? false, sample: flags.sample, acceptRejects: o.acceptRejects ?? false, encoding: flags.encoding, recoverQuotes: o.recoverQuotes ?? false,
      reportRoot: join(app.home, 'migrations'),
    });
  } finally {
    await db.end();
  }
  if (o.deployment) await recordRun(app, o.deployment, result, o.as);
  app.out.result({ ...result.report, reportHtml: result.files.html }, () => humanReport(result.report, result.files.dir));
  const failure = failureOf(result);
  if (failure) throw failure;
}

/**
 * `migrate run <deployment>`: the plan's data section, in the policy's order — each run backs up
 * the target tables first; a sample of N rows (every row is still checked: one bad row anywhere
 * stops here, nothing written); then the full import, which skips the sample's rows by their keys.
 * Both reports are attached to the deployment. --dry-run does the full import and rolls it back.
 */
export async function runDeployment(app: AppContext, id: string, o: RunFlags): Promise<void> {
  const flags = parseRunFlags(o);
  const record = await checkRecordable(app, id, o.as);
  const m = planMigration(id, record.plan, record.planFile);
  const { passwordSecret, ...t } = m.target;
  const target = withPassword(app, t, passwordSecret);
  const db = await connectTarget(target);
  const opts = { jobs: m.jobs, entity: m.entity, createdBy: m.createdBy, acceptRejects: o.acceptRejects ?? false, encoding: flags.encoding, recoverQuotes: o.recoverQuotes ?? false, reportRoot: join(app.home, 'migrations') };
  const results: RunResult[] = [];
  let failure: MokoError | undefined;
  try {
    const steps = o.dryRun ? [{ dryRun: true }] : [{ dryRun: false, sample: flags.sample ?? defaultSample }, { dryRun: false }];
    for (const step of steps) {
      const result = await runMigration(db, target, { ...opts, ...step, now: app.now() });
      results.push(result);
      await recordRun(app, id, result, o.as);
      failure = failureOf(result);
      if (failure) break;
    }
  } finally {
    await db.end();
  }
  app.out.result({ deployment: id, runs: results.map((r) => ({ ...r.report, reportHtml: r.files.html })) }, () =>
    [...results.map((r) => humanReport(r.report, r.files.dir)), ...(failure && results.length > 1 ? [`the sample batch ${results[0]!.report.batch} stays; undo it with: mokodeploy migrate undo ${results[0]!.report.batch} --deployment ${id}`] : [])].join('\n'),
  );
  if (failure) throw failure;
}
