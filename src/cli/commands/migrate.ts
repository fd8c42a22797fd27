import { stringify } from 'yaml';
import { z } from 'zod';
import type { CommandModule } from './module.js';
import type { AppContext } from '../app.js';
import { inputError, refused } from '../../core/errors.js';
import { SecretStore } from '../../store/secrets.js';
import { readManifest } from '../../migrate/manifest.js';
import { connectTarget, type TargetDb } from '../../migrate/target.js';
import { runMigration } from '../../migrate/run.js';
import { undoBatch } from '../../migrate/undo.js';
import { total, type MigrationReport } from '../../migrate/report.js';
import { defaultMappings } from '../../migrate/default-mappings.js';
import { mappingSchema } from '../../migrate/mapping-schema.js';
import { manifestSchema } from '../../migrate/manifest.js';
import type { SourceEncoding } from '../../migrate/encoding.js';
import type { Evidence } from '../../core/record.js';
import { join } from 'node:path';

interface RunFlags {
  deployment?: string;
  dryRun?: boolean;
  sample?: string;
  acceptRejects?: boolean;
  encoding?: string;
  as?: string;
}

const encodings: Record<string, SourceEncoding> = { 'utf-8': 'utf-8', utf8: 'utf-8', 'utf-16le': 'utf-16le', 'utf-16be': 'utf-16be', latin1: 'windows-1252', 'iso-8859-1': 'windows-1252', 'windows-1252': 'windows-1252' };

function targetOf(app: AppContext, file: string): { manifest: ReturnType<typeof readManifest>; target: TargetDb } {
  const manifest = readManifest(file);
  const t = manifest.target;
  const password = new SecretStore(app.home).get(t.password.secret);
  return { manifest, target: { host: t.host, port: t.port, socket: t.socket, database: t.database, user: t.user, password, prefix: t.prefix } };
}

function humanReport(r: MigrationReport, dir: string): string {
  const lines = [`batch ${r.batch} (${r.mode}): ${r.outcome} — ${r.summary}`];
  for (const j of r.jobs) {
    const c = j.counts;
    lines.push(`  ${j.object.padEnd(10)} ${j.file}: ${c.source} rows, ${c.loaded} ${r.outcome === 'committed' ? 'loaded' : 'would load'}, ${c.alreadyPresent} already present, ${c.rejected} rejected${c.deferred ? `, ${c.deferred} deferred` : ''} [${j.encoding}, "${j.delimiter}"]`);
    for (const x of j.rejects.slice(0, 10)) lines.push(`    line ${x.line}: ${x.reason}`);
    if (j.rejects.length > 10) lines.push(`    … ${j.rejects.length - 10} more in ${j.rejectsCsv}`);
  }
  lines.push(`  reconciled: ${r.reconciled ? 'yes' : 'no'}; report: ${join(dir, 'report.html')}`);
  return lines.join('\n');
}

export const migrateCommands: CommandModule = {
  register(program, app) {
    const migrate = program.command('migrate').description('import third parties, contacts and products into Dolibarr: validated, transactional, reconciled');
    migrate
      .command('run <migration-file>')
      .description('validate, back up, load in one transaction, reconcile, report (nothing is written if a row is rejected)')
      .option('--deployment <id>', 'attach the report to this deployment as data-migration evidence')
      .option('--dry-run', 'do everything, then roll back')
      .option('--sample <n>', 'load only the first N valid rows of each file')
      .option('--accept-rejects', 'load the valid rows even though some rows are rejected')
      .option('--encoding <name>', 'overrule encoding detection: utf-8, utf-16le, utf-16be, latin1')
      .option('--as <login>', 'who acts')
      .action(async (file: string, o: RunFlags) => {
        const sample = o.sample === undefined ? undefined : z.coerce.number().int().positive().safeParse(o.sample);
        if (sample && !sample.success) throw inputError(`--sample ${o.sample}: expected a whole number above 0`);
        const encoding = o.encoding === undefined ? undefined : encodings[o.encoding.toLowerCase()];
        if (o.encoding !== undefined && !encoding) throw inputError(`--encoding ${o.encoding}: unknown`, { fix: `one of: ${Object.keys(encodings).join(', ')}` });
        if (o.deployment) await app().actor(o.as); // an unknown person is refused before anything runs
        const { manifest, target } = targetOf(app(), file);
        const db = await connectTarget(target);
        let result;
        try {
          result = await runMigration(db, target, {
            jobs: manifest.jobs, entity: manifest.entity, createdBy: manifest.createdBy, now: app().now(),
            dryRun: o.dryRun ?? false, sample: sample?.data, acceptRejects: o.acceptRejects ?? false, encoding,
            reportRoot: join(app().home, 'migrations'),
          });
        } finally {
          await db.end();
        }
        const r = result.report;
        if (o.deployment) {
          const evidence = app().storeEvidenceFile(result.files.json) as Extract<Evidence, { kind: 'file' }>;
          await app().act(o.deployment, 'record-migration', {
            batch: r.batch, mode: r.mode, outcome: r.outcome, reconciled: r.reconciled,
            counts: { source: total(r, 'source'), loaded: total(r, 'loaded'), alreadyPresent: total(r, 'alreadyPresent'), rejected: total(r, 'rejected'), deferred: total(r, 'deferred') },
            report: { name: evidence.name, sha256: evidence.sha256, size: evidence.size },
            ...(r.backup && r.outcome === 'committed' ? { backup: { path: r.backup.dump.path, sha256: r.backup.dump.sha256 } } : {}),
          }, o.as);
        }
        app().out.result({ ...r, reportHtml: result.files.html }, () => humanReport(r, result.files.dir));
        if (r.outcome === 'refused') throw refused(`${total(r, 'rejected')} row(s) rejected: nothing was written`, { fix: `fix the rows listed in ${result.files.html} (the rejects CSV can be fed again), or load the valid rows with --accept-rejects` });
        if (r.outcome === 'rolled-back' && r.mode !== 'dry-run') throw refused('the migration did not reconcile: it was rolled back', { fix: `see ${result.files.html}` });
      });
    migrate
      .command('undo <batch>')
      .description('delete the rows of one import batch (by its import_key), in one transaction')
      .requiredOption('--file <migration-file>', 'the migration file naming the target database')
      .option('--deployment <id>', 'record the undo on this deployment')
      .option('--dry-run', 'count what would be deleted, then roll back')
      .option('--as <login>', 'who acts')
      .action(async (batch: string, o: { file: string; deployment?: string; dryRun?: boolean; as?: string }) => {
        if (o.deployment) await app().actor(o.as);
        const { manifest, target } = targetOf(app(), o.file);
        const db = await connectTarget(target);
        let result;
        try {
          result = await undoBatch(db, target, batch, manifest.entity, o.dryRun ?? false);
        } finally {
          await db.end();
        }
        const removed = Object.values(result.deleted).reduce((a, b) => a + b, 0);
        if (o.deployment && !o.dryRun) {
          await app().act(o.deployment, 'record-migration', {
            batch, mode: 'undo', outcome: 'undone', reconciled: false,
            counts: { source: 0, loaded: 0, alreadyPresent: 0, rejected: 0, deferred: 0 },
          }, o.as);
        }
        app().out.result(result, () => `${o.dryRun ? 'would delete' : 'deleted'} batch ${batch}: ${Object.entries(result.deleted).map(([k, n]) => `${n} ${k}`).join(', ')} (${removed} rows)`);
      });
    migrate
      .command('mapping [name]')
      .description('print a default mapping (YAML) to start from; without a name, list them')
      .action((name?: string) => {
        if (!name) {
          app().out.result(Object.keys(defaultMappings), () => Object.entries(defaultMappings).map(([n, m]) => `default:${n}  ${m.object}  ${m.description ?? ''}`).join('\n'));
          return;
        }
        const m = defaultMappings[name.replace(/^default:/, '')];
        if (!m) throw inputError(`there is no default mapping "${name}"`, { fix: `one of: ${Object.keys(defaultMappings).join(', ')}` });
        app().out.result(m, () => stringify(m).trimEnd());
      });
    migrate
      .command('schema <kind>')
      .description('JSON Schema of a mapping file or a migration file (kind: mapping | migration)')
      .action((kind: string) => {
        const schema = kind === 'mapping' ? mappingSchema : kind === 'migration' ? manifestSchema : undefined;
        if (!schema) throw inputError(`unknown schema "${kind}"`, { fix: 'mapping or migration' });
        const json = z.toJSONSchema(schema, { io: 'input' });
        app().out.result(json, () => JSON.stringify(json, null, 2));
      });
  },
};
