import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startMariadb, type Mariadb } from '../helpers/services/index.js';
import { createDolibarrDatabase } from '../helpers/dolibarr-schema.js';
import { workspace } from '../helpers/cli.js';
import { planInput } from '../helpers/records.js';
import { generatedCompanies, generatedContacts } from '../helpers/migrate-files.js';
import { SecretStore } from '../../src/store/secrets.js';

let server: Mariadb;
beforeAll(async () => {
  server = await startMariadb();
});
afterAll(() => server?.stop());

describe('mokodeploy migrate, as a user runs it (built executable)', () => {
  it('sample, full run, re-run, undo; evidence on the deployment; the password never on a command line or in output', async () => {
    const d = await createDolibarrDatabase(server, 'cli');
    const ws = workspace();
    ws.env.MOKODEPLOY_SECRET_KEY_FILE = join(ws.dir, 'secret.key');
    new SecretStore(join(ws.dir, '.mokodeploy'), ws.env.MOKODEPLOY_SECRET_KEY_FILE).set('acme/db', d.target.password);
    writeFileSync(join(ws.dir, 'companies.csv'), generatedCompanies(10));
    writeFileSync(join(ws.dir, 'contacts.csv'), generatedContacts(50, 10));
    writeFileSync(join(ws.dir, 'migration.yaml'), stringify({
      target: { host: '127.0.0.1', port: server.port, database: d.target.database, user: d.target.user, password: { secret: 'acme/db' } },
      jobs: [{ file: 'companies.csv', mapping: 'default:crm-companies' }, { file: 'contacts.csv', mapping: 'default:crm-contacts' }],
    }));
    ws.writePlan('plan.yaml', planInput({ kind: 'data-migration' }));
    expect(ws.run(['plan', 'submit', 'plan.yaml', '--as', 'tina']).code).toBe(0);

    const sample = await ws.runAsync(['migrate', 'run', 'migration.yaml', '--sample', '5', '--deployment', 'acme-2026-12', '--as', 'tina']);
    expect(sample.stderr).toBe('');
    expect(sample.code).toBe(0);
    expect(sample.stdout).toMatch(/batch \d{14} \(sample\): committed/);
    const full = await ws.runAsync(['--json', 'migrate', 'run', 'migration.yaml', '--deployment', 'acme-2026-12', '--as', 'tina']);
    expect(full.code).toBe(0);
    const report = JSON.parse(full.stdout) as { batch: string; reconciled: boolean; jobs: { counts: { loaded: number; alreadyPresent: number } }[] };
    expect(report.reconciled).toBe(true);
    expect(report.jobs.map((j) => [j.counts.loaded, j.counts.alreadyPresent])).toEqual([[5, 5], [45, 5]]);
    const rerun = await ws.runAsync(['--json', 'migrate', 'run', 'migration.yaml']);
    expect((JSON.parse(rerun.stdout) as typeof report).jobs.map((j) => j.counts.loaded)).toEqual([0, 0]);
    expect(await d.query('SELECT COUNT(*) FROM llx_socpeople')).toEqual([['50']]);

    const shown = ws.run(['--json', 'show', 'acme-2026-12']);
    const record = JSON.parse(shown.stdout) as { facts: { migrations: { mode: string }[] }; checklist: Record<string, { ticked: boolean }> };
    expect(record.facts.migrations.map((m) => m.mode)).toEqual(['sample', 'full']);
    expect(record.checklist['sample-migrated']?.ticked).toBe(true);

    const undo = await ws.runAsync(['migrate', 'undo', report.batch, '--file', 'migration.yaml']);
    expect(undo.stdout).toContain('deleted batch');
    expect(undo.stdout).toContain('45 contacts');
    expect(await d.query('SELECT COUNT(*) FROM llx_socpeople')).toEqual([['5']]);
    for (const out of [sample.stdout, full.stdout, rerun.stdout, undo.stdout, ws.dumpStore()]) expect(out).not.toContain(d.target.password.reveal());
    expect(readFileSync(join(ws.dir, 'migration.yaml'), 'utf8')).not.toContain(d.target.password.reveal());
  }, 240_000);

  it('rejected rows: exit 4, the rows listed, nothing written', async () => {
    const d = await createDolibarrDatabase(server, 'clirefused');
    const ws = workspace();
    ws.env.MOKODEPLOY_SECRET_KEY_FILE = join(ws.dir, 'secret.key');
    new SecretStore(join(ws.dir, '.mokodeploy'), ws.env.MOKODEPLOY_SECRET_KEY_FILE).set('acme/db', d.target.password);
    writeFileSync(join(ws.dir, 'companies.csv'), generatedCompanies(10));
    writeFileSync(join(ws.dir, 'contacts.csv'), generatedContacts(50, 10, true));
    writeFileSync(join(ws.dir, 'migration.yaml'), stringify({
      target: { port: server.port, database: d.target.database, user: d.target.user, password: { secret: 'acme/db' } },
      jobs: [{ file: 'companies.csv', mapping: 'default:crm-companies' }, { file: 'contacts.csv', mapping: 'default:crm-contacts' }],
    }));
    const r = await ws.runAsync(['migrate', 'run', 'migration.yaml']);
    expect(r.code).toBe(4);
    expect(r.stdout).toContain('line 11 (Last Name): "Last Name" is required');
    expect(r.stderr).toContain('5 row(s) rejected: nothing was written');
    expect(await d.query('SELECT COUNT(*) FROM llx_societe')).toEqual([['0']]);
  }, 120_000);

  describe('migrate run <deployment>: the imports of the plan', () => {
    const setUp = async (name: string, contacts: string, data?: unknown[], environment: 'production' | 'staging' = 'production') => {
      const d = await createDolibarrDatabase(server, name);
      const ws = workspace();
      ws.env.MOKODEPLOY_SECRET_KEY_FILE = join(ws.dir, 'secret.key');
      new SecretStore(join(ws.dir, '.mokodeploy'), ws.env.MOKODEPLOY_SECRET_KEY_FILE).set('acme/db', d.target.password);
      mkdirSync(join(ws.dir, 'exports'));
      writeFileSync(join(ws.dir, 'exports', 'companies.csv'), generatedCompanies(10));
      writeFileSync(join(ws.dir, 'exports', 'contacts.csv'), contacts);
      // listed contacts first on purpose (third parties are loaded first); no mapping: the default one for the object
      const plan = planInput({
        kind: 'data-migration',
        environment,
        database: { host: '127.0.0.1', port: server.port, name: d.target.database, user: d.target.user, password: { secret: 'acme/db' } },
        data: (data ?? [{ object: 'contacts', file: 'exports/contacts.csv' }, { object: 'thirdparties', file: 'exports/companies.csv' }]) as never,
      });
      ws.writePlan('plan.yaml', plan);
      expect(ws.run(['plan', 'submit', 'plan.yaml', '--as', 'tina']).code).toBe(0);
      const show = () => JSON.parse(ws.run(['--json', 'show', 'acme-2026-12']).stdout) as { facts: { migrations?: { mode: string; outcome: string; counts: { loaded: number } }[] }; checklist: Record<string, { ticked: boolean } | undefined> };
      return { d, ws, show };
    };

    it('backs up, migrates a sample, then the rest; both reports on the deployment, the sample and backup items ticked; a re-run adds nothing', async () => {
      const { d, ws, show } = await setUp('plandata', generatedContacts(50, 10));
      expect(ws.run(['migrate', 'run', '--help']).stdout).toContain("the plan's data section");
      const r = await ws.runAsync(['--json', 'migrate', 'run', 'acme-2026-12', '--sample', '5', '--as', 'tina']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as { deployment: string; runs: { batch: string; mode: string; outcome: string; reconciled: boolean; backup?: { dump: { path: string } }; jobs: { object: string; counts: { loaded: number; alreadyPresent: number } }[] }[] };
      expect(out.runs.map((x) => [x.mode, x.outcome, x.reconciled])).toEqual([['sample', 'committed', true], ['full', 'committed', true]]);
      expect(out.runs.map((x) => x.jobs.map((j) => [j.object, j.counts.loaded, j.counts.alreadyPresent]))).toEqual([
        [['thirdparty', 5, 0], ['contact', 5, 0]],
        [['thirdparty', 5, 5], ['contact', 45, 5]],
      ]);
      // the sample's backup was taken before anything was written: no third party in it yet
      expect(readFileSync(out.runs[0]!.backup!.dump.path, 'utf8')).not.toContain('INSERT INTO `llx_societe`');
      expect(await d.query('SELECT COUNT(*), MIN(fk_user_creat), MAX(fk_user_creat) FROM llx_socpeople')).toEqual([['50', '1', '1']]);
      expect(await d.query('SELECT COUNT(*) FROM llx_socpeople WHERE fk_soc IS NULL')).toEqual([['0']]);
      const record = show();
      expect(record.facts.migrations!.map((m) => [m.mode, m.outcome])).toEqual([['sample', 'committed'], ['full', 'committed']]);
      expect(record.checklist['sample-migrated']?.ticked).toBe(true);
      expect(record.checklist['source-backup']?.ticked).toBe(true);

      const again = await ws.runAsync(['--json', 'migrate', 'run', 'acme-2026-12', '--as', 'tina']);
      expect(again.code).toBe(0);
      expect((JSON.parse(again.stdout) as typeof out).runs.map((x) => x.jobs.map((j) => j.counts.loaded))).toEqual([[0, 0], [0, 0]]);
      expect(await d.query('SELECT COUNT(*) FROM llx_socpeople')).toEqual([['50']]);
      const undo = await ws.runAsync(['migrate', 'undo', out.runs[1]!.batch, '--deployment', 'acme-2026-12', '--as', 'tina']);
      expect(undo.code).toBe(0);
      expect(undo.stdout).toContain('45 contacts');
      expect(await d.query('SELECT COUNT(*) FROM llx_socpeople')).toEqual([['5']]);
      for (const o of [r.stdout, again.stdout, undo.stdout, ws.dumpStore()]) expect(o).not.toContain(d.target.password.reveal());
    }, 240_000);

    it('a bad row anywhere in a file: the sample is refused with the line and field, exit 4, nothing written, the refusal recorded', async () => {
      const { d, ws, show } = await setUp('plandatabad', generatedContacts(50, 10, true));
      // someone who may not record it: refused before anything runs (the refusal is audited)
      const qa = await ws.runAsync(['migrate', 'run', 'acme-2026-12', '--as', 'quinn']);
      expect(qa.code).toBe(4);
      expect(qa.stderr).toContain('quinn may not do deployment.execute');
      expect(ws.dumpStore()).toContain('refused:record-migration');
      expect(await d.query('SELECT COUNT(*) FROM llx_societe')).toEqual([['0']]);
      const r = await ws.runAsync(['migrate', 'run', 'acme-2026-12', '--sample', '5', '--as', 'tina']);
      expect(r.code).toBe(4);
      expect(r.stdout).toMatch(/contact +\/.*exports\/contacts\.csv: 50 rows/);
      expect(r.stdout).toContain('line 11 (Last Name): "Last Name" is required');
      expect(r.stderr).toContain('5 row(s) rejected: nothing was written');
      expect(await d.query('SELECT (SELECT COUNT(*) FROM llx_societe) + (SELECT COUNT(*) FROM llx_socpeople)')).toEqual([['0']]);
      const record = show();
      expect(record.facts.migrations!.map((m) => [m.mode, m.outcome])).toEqual([['sample', 'refused']]);
      expect(record.checklist['sample-migrated']?.ticked ?? false).toBe(false);
    }, 240_000);

    it('`deploy` of a data-migration plan: the gates, then the imports as a recorded run; a bad row is a failed run with nothing written', async () => {
      const walk = (ws: ReturnType<typeof workspace>) => {
        for (const args of [['approve', 'acme-2026-12', '--as', 'dave'], ['ready', 'acme-2026-12', '--as', 'tina'], ['schedule', 'acme-2026-12', '--as', 'dave', '--client-approved-by', 'Jane Client']]) {
          const r = ws.run(args);
          expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
        }
      };
      const good = await setUp('plandatadeploy', generatedContacts(50, 10), undefined, 'staging');
      const early = await good.ws.runAsync(['deploy', 'acme-2026-12', '--as', 'tina']);
      expect(early.code).toBe(4); // submitted, not approved: the gates refuse before any import
      expect(await good.d.query('SELECT COUNT(*) FROM llx_societe')).toEqual([['0']]);
      const dry = await good.ws.runAsync(['deploy', 'acme-2026-12', '--dry-run']);
      expect(dry.code).toBe(4);
      expect(dry.stderr).toContain('mokodeploy migrate run acme-2026-12 --dry-run');
      walk(good.ws);
      const r = await good.ws.runAsync(['deploy', 'acme-2026-12', '--as', 'tina']);
      expect(r.code, r.stderr).toBe(0);
      const record = JSON.parse(good.ws.run(['--json', 'show', 'acme-2026-12']).stdout) as { state: string; runs: { outcome: string }[]; facts: { migrations: { mode: string; outcome: string }[] } };
      expect(record.state).toBe('verifying');
      expect(record.runs.at(-1)).toMatchObject({ outcome: 'succeeded' });
      expect(record.facts.migrations.map((m) => [m.mode, m.outcome])).toEqual([['sample', 'committed'], ['full', 'committed']]);
      expect(await good.d.query('SELECT COUNT(*) FROM llx_socpeople')).toEqual([['50']]);

      const bad = await setUp('plandatadeploybad', generatedContacts(50, 10, true), undefined, 'staging');
      walk(bad.ws);
      const refusedRun = await bad.ws.runAsync(['deploy', 'acme-2026-12', '--as', 'tina']);
      expect(refusedRun.code).toBe(4);
      expect(refusedRun.stderr).toContain('rejected: nothing was written');
      const failed = JSON.parse(bad.ws.run(['--json', 'show', 'acme-2026-12']).stdout) as { runs: { outcome: string }[] };
      expect(failed.runs.at(-1)).toMatchObject({ outcome: 'failed' });
      expect(await bad.d.query('SELECT (SELECT COUNT(*) FROM llx_societe) + (SELECT COUNT(*) FROM llx_socpeople)')).toEqual([['0']]);
    }, 240_000);

    it('a plan entry naming a missing file or a mapping for another object: exit 2 with the plan line and field, before any connection', async () => {
      const { d, ws } = await setUp('plandatamissing', generatedContacts(5, 10), [
        { object: 'thirdparties', file: 'exports/companies.csv' },
        { object: 'contacts', file: 'exports/people.csv' },
        { object: 'products', file: 'exports/companies.csv', mapping: 'default:crm-companies' },
      ]);
      const r = await ws.runAsync(['migrate', 'run', 'acme-2026-12', '--as', 'tina']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/plan\.yaml:\d+:\d+ data\.1\.file: no such file .*exports\/people\.csv/);
      expect(r.stderr).toMatch(/plan\.yaml:\d+:\d+ data\.2\.mapping: default:crm-companies maps thirdparty rows, the plan says products/);
      expect(await d.query('SELECT COUNT(*) FROM llx_societe')).toEqual([['0']]);
    }, 120_000);
  });
});
