import { chmodSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanInput } from '../../src/core/plan.js';
import { workspace, type Workspace } from '../helpers/cli.js';
import { buildFixtureRelease } from '../helpers/fixture-release/build.js';
import { packMulticompanyModule } from '../helpers/fixture-release/multicompany.js';
import { freshTargetPlan, scheduleThroughCli, windowOpenNow } from '../helpers/cli-deploy-workspace.js';
import { makeCertificate, startMariadb, type Mariadb } from '../helpers/services/index.js';
import { dirMaker, testDatabase, testSite } from '../helpers/site-parts.js';

/**
 * Issue 18 "Done when": `deploy` of a new install whose plan has entities runs through the engine (the built
 * executable, the gates, the journaled runner) on a fresh target: the fixture release, the stand-in multicompany
 * module (test/helpers/fixture-release/multicompany.ts), then the entity steps. What it must leave is read back from
 * the database: entity 2 made by the module's DAO, its company, its user in entity 2 and not in entity 1. A second
 * deploy of the same record is refused by its state and creates nothing twice. The isolation itself is checked by entities-verify-cli.test.ts.
 */
let ws: Workspace;
let db: Mariadb;
let plan: PlanInput;
const id = 'acme-2026-12';

beforeAll(async () => {
  ws = workspace();
  chmodSync(ws.dir, 0o755);
  const d = dirMaker(ws.dir);
  db = await startMariadb();
  const fixture = buildFixtureRelease({ version: '20.0.2' }, d('release'));
  const site = await testSite(makeCertificate({ cn: 'crm.acme.test', dir: d('tls') }));
  const module = packMulticompanyModule(d('modules'));
  chmodSync(module, 0o644);
  plan = freshTargetPlan(d, {
    release: fixture,
    site,
    db,
    company: { name: 'ACME SARL', country: 'FR', email: 'contact@acme.test' },
    window: windowOpenNow('Europe/Paris'),
    customModules: [{ name: 'multicompany', source: module }],
    entities: [
      { id: 1, label: 'ACME France', modules: [], constants: [], users: [] },
      {
        id: 2,
        label: 'ACME Belgium',
        company: { name: 'ACME Belgium SPRL', country: 'BE', town: 'Bruxelles', currency: 'EUR' },
        modules: ['modSociete'],
        constants: [],
        branding: { topMenuColor: '#1a5276' },
        users: [
          {
            login: 'bob',
            lastname: 'Peeters',
            admin: false,
            password: { secret: 'acme/bob' },
            rights: ['societe.lire'],
          },
        ],
      },
    ] as never,
  });
  ws.writePlan('plan.yaml', plan);
  scheduleThroughCli(ws, id, 'plan.yaml');
}, 300_000);

afterAll(async () => {
  await db?.stop();
});

const q = (sql: string) => db.rootClient.query(`USE ${testDatabase(db).name}; ${sql}`);

describe('mokodeploy deploy of a new install with entities (issue 18)', () => {
  it('--dry-run lists the entity steps after the install and changes nothing', async () => {
    const r = await ws.runAsync(['deploy', id, '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    const steps = r.stdout
      .split('\n')
      .filter((l) => /^\[\d+\/\d+\] /.test(l))
      .map((l) => l.replace(/^\[\d+\/\d+\] (\S+).*$/, '$1'));
    expect(steps.indexOf('entities:create')).toBeGreaterThan(steps.indexOf('install:installer-step5'));
    expect(steps.filter((s) => s.startsWith('entities:'))).toEqual(
      expect.arrayContaining(['entities:create', 'entities:company', 'entities:users']),
    );
    // nothing made: not even the database
    expect(await db.rootClient.query(`SHOW DATABASES LIKE '${testDatabase(db).name}'`)).toEqual([]);
  }, 120_000);

  it('deploy installs, enables the module and makes the plan entities; a second deploy is refused and makes nothing twice', async () => {
    const r = await ws.runAsync(['deploy', id, '--as', 'tina']);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout + r.stderr).toContain('entities:users');
    // entity 1 is the master the module made when enabled, labelled as the plan says; entity 2 made by the module's DAO
    expect((await q('SELECT rowid, label FROM llx_entity ORDER BY rowid')).map((x) => x[0])).toEqual([
      '1',
      '2',
    ]);
    expect(await q('SELECT label FROM llx_entity ORDER BY rowid')).toEqual([
      ['ACME France'],
      ['ACME Belgium'],
    ]);
    expect(await q(`SELECT entity FROM llx_user WHERE login = 'bob'`)).toEqual([['2']]);
    expect(
      await q(`SELECT value FROM llx_const WHERE name = 'MAIN_INFO_SOCIETE_NOM' AND entity = 2`),
    ).toEqual([['ACME Belgium SPRL']]);
    const record = JSON.parse(ws.run(['--json', 'show', id]).stdout);
    expect(record.runs.at(-1)).toMatchObject({ outcome: 'succeeded' });

    const again = await ws.runAsync(['deploy', id, '--as', 'tina']);
    expect(again.code, `${again.stdout}\n${again.stderr}`).not.toBe(0); // the record moved on: deploy is refused
    expect(await q('SELECT COUNT(*) FROM llx_entity')).toEqual([['2']]);
    expect(await q(`SELECT COUNT(*) FROM llx_user WHERE login = 'bob'`)).toEqual([['1']]);
  }, 600_000);
});
