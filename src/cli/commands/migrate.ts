import { stringify } from 'yaml';
import { z } from 'zod';
import type { CommandModule } from './module.js';
import { refuseOutsideWindow } from './window-check.js';
import { inputError } from '../../core/errors.js';
import { connectTarget } from '../../migrate/target.js';
import { undoBatch } from '../../migrate/undo.js';
import { defaultSample, deploymentTarget, fileTarget, isMigrationFile, parseEncoding, runDeployment, runFile, type RunFlags } from '../../app/migrate-run.js';
import { defaultMappings } from '../../migrate/default-mappings.js';
import { mappingSchema } from '../../migrate/mapping-schema.js';
import { manifestSchema } from '../../migrate/manifest.js';
import { suggestMappingFile } from '../../migrate/suggest-file.js';
import { existsSync, writeFileSync } from 'node:fs';
import { enqueueCommand, queueFlag, queued } from './worker-queue.js';
import type { Command } from 'commander';

export const migrateCommands: CommandModule = {
  register(program, app) {
    const migrate = program.command('migrate').description('import third parties, contacts and products into Dolibarr: validated, transactional, reconciled');
    migrate
      .command('run <deployment-or-file>')
      .description('validate, back up, load in one transaction, reconcile, report (nothing is written if a row is rejected)')
      .option('--deployment <id>', 'with a migration file: attach the report to this deployment as data-migration evidence')
      .option('--dry-run', 'do everything, then roll back')
      .option('--sample <n>', `load only the first N valid rows of each file (with a deployment: the sample run's size, default ${defaultSample})`)
      .option('--accept-rejects', 'load the valid rows even though some rows are rejected')
      .option('--encoding <name>', 'overrule encoding detection: utf-8, utf-16le, utf-16be, latin1')
      .option('--recover-quotes', 'after an unclosed quote, read the following lines again as records (the broken line alone is rejected)')
      .addOption(queueFlag())
      .option('--as <login>', 'who acts')
      .addHelpText('after', `
With a deployment id, the imports come from the plan's data section (object, file, optional
mapping; paths relative to the plan file; without a mapping, the default one for the object:
default:crm-companies, default:crm-contacts, default:crm-products), into the plan's database
(reached from this machine; records created by the plan's admin). In the policy's order: back
up the target tables, migrate a sample (--sample, default ${defaultSample} rows; every row of every
file is still checked — fields, duplicates, third parties by key — so one bad row stops it and
nothing is written), then the full import, which skips the sample's rows. Both reports are
attached to the deployment; a committed, reconciled sample ticks "Sample data migrated
successfully" and its backup "Backup of source data created". --dry-run: the full import,
rolled back.

With a migration file (YAML: target, entity, createdBy, jobs), one run as the options say.

Exit: 0 done; 2 bad input (file, line, field); 3 no such deployment; 4 rows rejected or not
reconciled (nothing written), or not allowed.

Examples:
  mokodeploy migrate run acme-2026-12 --as tina
  mokodeploy migrate run acme-2026-12 --dry-run
  mokodeploy migrate run migration.yaml --sample 50 --deployment acme-2026-12 --as tina`)
      .action(async (arg: string, o: RunFlags, cmd: Command) => {
        if (queued(cmd)) return enqueueCommand(app(), cmd);
        if (isMigrationFile(arg)) return runFile(app(), arg, o);
        if (o.deployment) throw inputError(`--deployment is for a migration file; "${arg}" is taken as a deployment id`, { fix: `mokodeploy migrate run ${arg}` });
        if (!o.dryRun) await refuseOutsideWindow(app(), arg, { command: 'migrate run' }); // issue 16: the approved window
        return runDeployment(app(), arg, o);
      });
    migrate
      .command('undo <batch>')
      .description('delete the rows of one import batch (by its import_key), in one transaction')
      .option('--file <migration-file>', 'the migration file naming the target database')
      .option('--deployment <id>', "record the undo on this deployment (without --file: undo in its plan's database)")
      .option('--dry-run', 'count what would be deleted, then roll back')
      .option('--as <login>', 'who acts')
      .action(async (batch: string, o: { file?: string; deployment?: string; dryRun?: boolean; as?: string }) => {
        if (!o.file && !o.deployment) throw inputError('migrate undo needs --file <migration-file> or --deployment <id>');
        if (o.deployment) await app().actor(o.as);
        const { target, entity } = o.file ? fileTarget(app(), o.file) : await deploymentTarget(app(), o.deployment!);
        const db = await connectTarget(target);
        let result;
        try {
          result = await undoBatch(db, target, batch, entity, o.dryRun ?? false);
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
    const map = migrate.command('map').description('mappings from source files');
    map
      .command('suggest <file>')
      .description('propose a mapping (YAML to edit) from a file\'s header and first rows')
      .requiredOption('--object <kind>', 'thirdparty | contact | product')
      .option('--out <file>', 'write the YAML there (refuses to overwrite) instead of printing it')
      .option('--encoding <name>', 'overrule encoding detection: utf-8, utf-16le, utf-16be, latin1')
      .addHelpText('after', `
Columns are recognised by their names in English, French, German, Spanish, Italian and Dutch
("Company Name", "Raison sociale", "Firma"; e-mail, phone, zip, country...); the first rows decide
the transforms: date formats and their day/month order, countries, yes/no/1/0/oui/non, numbers.
Lines starting with "# CHECK" say what was guessed or left out.

Example:
  mokodeploy migrate map suggest clients.csv --object thirdparty --out clients.mapping.yaml`)
      .action(async (file: string, o: { object: string; out?: string; encoding?: string }) => {
        const object = z.enum(['thirdparty', 'contact', 'product']).safeParse(o.object);
        if (!object.success) throw inputError(`--object ${o.object}: unknown`, { fix: 'thirdparty, contact or product' });
        if (!existsSync(file)) throw inputError(`no such file ${file}`, { where: file });
        if (o.out && existsSync(o.out)) throw inputError(`${o.out} exists: not overwritten`, { where: o.out, fix: 'give another --out, or remove it first' });
        const s = await suggestMappingFile(file, object.data, parseEncoding(o.encoding));
        if (o.out) writeFileSync(o.out, s.yaml, { flag: 'wx' });
        app().out.result({ mapping: s.mapping, notes: s.notes, ...(o.out ? { written: o.out } : {}) }, () => (o.out ? `wrote ${o.out}${s.notes.length ? `; check:\n${s.notes.map((n) => `  ${n}`).join('\n')}` : ''}` : s.yaml.trimEnd()));
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
