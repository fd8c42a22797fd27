import { readFileSync, writeFileSync } from 'node:fs';
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
    expect(r.stdout).toContain('line 11: "Last Name" is required');
    expect(r.stderr).toContain('5 row(s) rejected: nothing was written');
    expect(await d.query('SELECT COUNT(*) FROM llx_societe')).toEqual([['0']]);
  }, 120_000);
});
