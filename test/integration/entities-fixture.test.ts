import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/core/plan.js';
import { CommandError } from '../../src/runner/perform.js';
import { entitiesPipeline } from '../../src/steps/entities/index.js';
import type { StepContext } from '../../src/steps/step.js';
import { entityReader as reader, startEntitiesStack } from '../helpers/entities-stack.js';
import type { InstallStack } from '../helpers/install-stack/index.js';
import { runPipeline } from '../helpers/install-stack/run-pipeline.js';

/**
 * Issue 18: the entity steps run for real (LocalHost, MariaDB, our PHP tools) after an install of the fixture
 * release with the stand-in multicompany module as a custom module (test/helpers/fixture-release/multicompany.ts).
 * What they must leave: llx_entity row 1 under the plan's label, rows 2 and 3, each entity's company, language,
 * modules, constants, colour and users as rows of that entity. The isolation itself is checked against real
 * Dolibarr (scripts/e2e-entities.ts).
 */
let stack: InstallStack;
let ctx: StepContext;
const out = mkdtempSync(join(tmpdir(), 'moko-entities-test-'));

const entities: Plan['entities'] = [
  { id: 1, label: 'ACME France', modules: [], constants: [], users: [reader('frank', 'Dupont')] },
  {
    id: 2,
    label: 'ACME Belgium',
    company: { name: 'ACME Belgium SPRL', country: 'BE', town: 'Bruxelles', currency: 'EUR' },
    language: 'fr_BE',
    modules: ['modSociete'],
    constants: [{ name: 'MAIN_SIZE_LISTE_LIMIT', value: '50' }],
    branding: { topMenuColor: '#1a5276' },
    users: [reader('bob', 'Peeters')],
  },
  {
    id: 3,
    label: 'ACME Deutschland',
    company: { name: 'ACME GmbH', country: 'DE', currency: 'EUR' },
    modules: ['modSociete'],
    constants: [],
    users: [reader('dora', 'Schmidt')],
  },
];

const q = (sql: string) => stack.db.rootClient.query(sql);

beforeAll(async () => {
  ({ stack, ctx } = await startEntitiesStack(out, entities));
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  execFileSync('rm', ['-rf', out]);
});

describe('entity steps on an install with the multicompany module', () => {
  it('install:modules enabled the module for every entity (entity 0); the master entity has the plan label', async () => {
    expect(await q("SELECT entity FROM acme_crm.llx_const WHERE name = 'MAIN_MODULE_MULTICOMPANY'")).toEqual([
      ['0'],
    ]);
    expect(
      (await q('SELECT rowid, label FROM acme_crm.llx_entity ORDER BY rowid')).map((r) => r.join(' ')),
    ).toEqual(['1 ACME France', '2 ACME Belgium', '3 ACME Deutschland']);
  });
  it("sets each entity's company, currency and language as its own constants", async () => {
    const rows = await q(
      "SELECT entity, name, value FROM acme_crm.llx_const WHERE name IN ('MAIN_INFO_SOCIETE_NOM', 'MAIN_INFO_SOCIETE_COUNTRY', 'MAIN_MONNAIE', 'MAIN_LANG_DEFAULT', 'MAIN_SIZE_LISTE_LIMIT', 'THEME_ELDY_TOPMENU_BACK1') AND entity > 1 ORDER BY entity, name",
    );
    expect(rows.map((r) => r.join(' '))).toEqual([
      '2 MAIN_INFO_SOCIETE_COUNTRY 2:BE:Belgium',
      '2 MAIN_INFO_SOCIETE_NOM ACME Belgium SPRL',
      '2 MAIN_LANG_DEFAULT fr_BE',
      '2 MAIN_MONNAIE EUR',
      '2 MAIN_SIZE_LISTE_LIMIT 50',
      '2 THEME_ELDY_TOPMENU_BACK1 26,82,118',
      '3 MAIN_INFO_SOCIETE_COUNTRY 5:DE:Germany',
      '3 MAIN_INFO_SOCIETE_NOM ACME GmbH',
      '3 MAIN_MONNAIE EUR',
    ]);
  });
  it("enables each entity's modules in that entity", async () => {
    const rows = await q(
      "SELECT entity FROM acme_crm.llx_const WHERE name = 'MAIN_MODULE_SOCIETE' ORDER BY entity",
    );
    expect(rows.map((r) => r[0])).toEqual(['1', '2', '3']);
  });
  it('creates each user in its entity with its rights granted there', async () => {
    const rows = await q(
      "SELECT u.login, u.entity, r.entity, CONCAT(d.module, '.', d.perms) FROM acme_crm.llx_user u JOIN acme_crm.llx_user_rights r ON r.fk_user = u.rowid JOIN acme_crm.llx_rights_def d ON d.id = r.fk_id WHERE u.login IN ('frank', 'bob', 'dora') ORDER BY u.entity",
    );
    expect(rows.map((r) => r.join(' '))).toEqual([
      'frank 1 1 societe.lire',
      'bob 2 2 societe.lire',
      'dora 3 3 societe.lire',
    ]);
  });
  it('a second run changes nothing (no entity created twice, the master label not written again)', async () => {
    // the update would bump nothing visible: a trigger counts the writes to llx_entity
    await q('CREATE TABLE acme_crm.moko_entity_writes (n integer)');
    await q(
      'CREATE TRIGGER acme_crm.moko_entity_update AFTER UPDATE ON acme_crm.llx_entity FOR EACH ROW INSERT INTO acme_crm.moko_entity_writes VALUES (NEW.rowid)',
    );
    try {
      await runPipeline(stack.host, entitiesPipeline(), ctx);
      expect(await q('SELECT COUNT(*) FROM acme_crm.moko_entity_writes')).toEqual([['0']]);
    } finally {
      await q('DROP TRIGGER acme_crm.moko_entity_update');
      await q('DROP TABLE acme_crm.moko_entity_writes');
    }
    expect(await q('SELECT COUNT(*) FROM acme_crm.llx_entity')).toEqual([['3']]);
    expect(await q('SELECT label FROM acme_crm.llx_entity WHERE rowid = 1')).toEqual([['ACME France']]);
    expect(await q("SELECT COUNT(*) FROM acme_crm.llx_user WHERE login = 'bob'")).toEqual([['1']]);
  });
  it("a master label another entity already has stops the run and leaves entity 1's label", async () => {
    const clash = entities.map((e) => (e.id === 1 ? { ...e, label: 'acme belgium' } : e));
    const err = await runPipeline(stack.host, entitiesPipeline(), {
      ...ctx,
      plan: { ...ctx.plan, entities: clash },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect((err as CommandError).output).toMatch(/the label \\"acme belgium\\" is already entity 2/);
    expect(await q('SELECT label FROM acme_crm.llx_entity WHERE rowid = 1')).toEqual([['ACME France']]);
  });
  it('an entity that exists under another label stops the run, naming both labels', async () => {
    const renamed = entities.map((e) => (e.id === 3 ? { ...e, label: 'ACME Austria' } : e));
    const err = await runPipeline(stack.host, entitiesPipeline(), {
      ...ctx,
      plan: { ...ctx.plan, entities: renamed },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect((err as CommandError).output).toMatch(
      /entity 3 exists with the label \\"ACME Deutschland\\", the plan says \\"ACME Austria/,
    );
  });
});
