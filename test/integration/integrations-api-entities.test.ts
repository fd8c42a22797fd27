import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MokoError } from '../../src/core/errors.js';
import { planSchema, type Plan, type PlanInput } from '../../src/core/plan.js';
import { entitiesPipeline } from '../../src/steps/entities/index.js';
import { buildFixtureRelease } from '../helpers/fixture-release/build.js';
import { packMulticompanyModule } from '../helpers/fixture-release/multicompany.js';
import { startInstallStack, type InstallStack } from '../helpers/install-stack/index.js';
import { runPipeline } from '../helpers/install-stack/run-pipeline.js';
import { runPlanOnStack } from '../helpers/install-stack/run-plan.js';
import { siteRows } from '../helpers/install-stack/site-sql.js';
import { acmeEntities } from '../helpers/integrations/acme-entities.js';
import { writeApiAccessPlan } from '../helpers/integrations/api-access-plan.js';
import { callApi } from '../helpers/integrations/api-call.js';

/**
 * Issue 17 "API connections" on a multi-entity deployment (issue 18, the fixture's stand-in multicompany module):
 * `apiAccess.entities` names the entities the external system reaches; it gets a user of each (llx_user.entity) with
 * that entity's rights and its own key. Real REST calls through the site: each key works in its own entity and is
 * refused (401) in another (DOLAPIENTITY), reads only its entity's rows, and an entity taken out of the plan leaves
 * our user there with no right and no key.
 */
let stack: InstallStack;
let planFile: string;
let run = 0;
const out = mkdtempSync(join(tmpdir(), 'moko-api-entities-'));
const sql = (q: string) => siteRows(stack, q);

const entities = acmeEntities({
  label: 'ACME Deutschland',
  company: { name: 'ACME GmbH', country: 'DE', currency: 'EUR' },
});

function apiPlan(apiAccess: Record<string, unknown>): Plan {
  planFile = join(out, `plan-${++run}.yaml`);
  return writeApiAccessPlan(stack, planFile, apiAccess, entities);
}

const deploy = (plan: Plan) =>
  runPlanOnStack(stack, plan, {
    planFile,
    storeDir: out,
    deploymentId: `acme-api-entities-${run}`,
    planHash: 'h',
  });

const key = (name: string) => stack.secrets.values.get(name)!.reveal();
const call = (path: string, apiKey: string, entity?: number) => callApi(stack, path, apiKey, entity);
const users = () =>
  sql(
    "SELECT login, entity, admin, firstname, api_key IS NOT NULL FROM llx_user WHERE login LIKE 'api-erp-sync%' ORDER BY login",
  );
const rightsOf = (login: string) =>
  sql(
    `SELECT CONCAT(ur.entity, ' ', CONCAT_WS('.', d.module, d.perms, NULLIF(d.subperms, ''))) FROM llx_user_rights ur JOIN llx_user u ON u.rowid = ur.fk_user JOIN llx_rights_def d ON d.id = ur.fk_id WHERE u.login = '${login}' ORDER BY 1`,
  );

beforeAll(async () => {
  const fixture = buildFixtureRelease({ version: '20.0.2' }, out);
  stack = await startInstallStack({
    release: fixture.tarball,
    version: fixture.version,
    sha256: fixture.sha256,
    modules: ['modSociete', 'modFacture'],
    customModules: [{ name: 'multicompany', source: packMulticompanyModule(join(out, 'modules')) }],
  });
  const plan = planSchema.parse({ ...(stack.plan as PlanInput), entities });
  await runPipeline(stack.host, entitiesPipeline(), { ...stack.ctx, plan });
  // one third party in each entity: which one a key reads shows which entity it works in
  await sql(
    "INSERT INTO llx_societe (nom, entity, client, datec) VALUES ('marker-one', 1, 1, NOW()), ('marker-two', 2, 1, NOW()), ('marker-three', 3, 1, NOW())",
  );
}, 400_000);

afterAll(async () => {
  await stack?.stop();
  execFileSync('rm', ['-rf', out]);
});

describe('API connections on a multi-entity deployment (issues 17 and 18)', () => {
  it('one user and key per entity reached, rights per entity, each key allowed in its entity only', async () => {
    const plan = apiPlan({
      rights: ['societe.lire', 'user.user.lire'],
      entities: [1, { id: 2, rights: ['societe.lire'] }],
    });
    const outcome = await deploy(plan);
    expect(outcome.steps.map((s) => `${s.step} ${s.status}`)).toContain('integrations:api-users-check done');
    expect(await users()).toEqual([
      'api-erp-sync\t1\t0\tmokodeploy\t1',
      'api-erp-sync-e2\t2\t0\tmokodeploy\t1',
    ]);
    expect(await rightsOf('api-erp-sync')).toEqual(['1 societe.lire', '1 user.user.lire']);
    expect(await rightsOf('api-erp-sync-e2')).toEqual(['2 societe.lire']);
    const [k1, k2] = [key('acme/api-erp-sync'), key('acme/api-erp-sync-e2')];
    expect(k1).not.toBe(k2);

    // entity 2's key: its own third parties, users refused (its rights there), entities 1 and 3 refused
    const two = await call('thirdparties?limit=10', k2, 2);
    expect(two.status).toBe(200);
    expect(two.text).toContain('marker-two');
    expect(two.text).not.toMatch(/marker-(one|three)/);
    expect((await call('thirdparties?limit=10', k2)).text).toContain('marker-two'); // no header: the key owner's entity
    expect((await call('users?limit=1', k2, 2)).status).toBe(403);
    expect((await call('thirdparties?limit=10', k2, 1)).status).toBe(401);
    expect((await call('thirdparties?limit=10', k2, 3)).status).toBe(401);
    // entity 1's key: entity 1's rows and users, refused in 2 and 3
    const one = await call('thirdparties?limit=10', k1, 1);
    expect(one.text).toContain('marker-one');
    expect(one.text).not.toMatch(/marker-(two|three)/);
    expect((await call('users?limit=1', k1, 1)).status).toBe(200);
    expect((await call('thirdparties?limit=10', k1, 2)).status).toBe(401);
    expect((await call('thirdparties?limit=10', k1, 3)).status).toBe(401);
    // what the check did, per entity, for the handoff pack
    expect(JSON.stringify(outcome.outputs.integrationChecks)).toMatch(/in entity 2: .* in entity 3 refused/);
  }, 300_000);

  it('an entity taken out of the plan: our user there keeps no right and no key; the other is unchanged', async () => {
    const keyBefore = key('acme/api-erp-sync-e2');
    await deploy(apiPlan({ rights: ['societe.lire'], entities: [2] }));
    expect(await users()).toEqual([
      'api-erp-sync\t1\t0\tmokodeploy\t0',
      'api-erp-sync-e2\t2\t0\tmokodeploy\t1',
    ]);
    expect(await rightsOf('api-erp-sync')).toEqual([]);
    expect(key('acme/api-erp-sync-e2')).toBe(keyBefore);
    expect((await call('thirdparties?limit=10', key('acme/api-erp-sync'), 1)).status).toBe(401);
    expect((await call('thirdparties?limit=10', keyBefore, 2)).text).toContain('marker-two');
  }, 300_000);

  it('an entity the plan does not have is refused at plan.yaml:line:col before anything runs', async () => {
    const { readPlanFile } = await import('../../src/cli/plan-file.js');
    apiPlan({ rights: ['societe.lire'] });
    const text = (await import('node:fs'))
      .readFileSync(planFile, 'utf8')
      .replace(
        /rights:\n(\s+)- societe\.lire\n/,
        (m, pad: string) => `${m}${pad.slice(2)}entities:\n${pad}- 2\n${pad}- 4\n`,
      );
    writeFileSync(planFile, text);
    const before = await users();
    const e = (() => {
      try {
        readPlanFile(planFile);
      } catch (x) {
        return x as MokoError;
      }
    })();
    expect(e).toBeInstanceOf(MokoError);
    expect(e!.details.join('\n')).toMatch(
      /plan-\d+\.yaml:\d+:\d+ integrations\.0\.apiAccess\.entities\.1: entity 4 is not an entity of this plan \(known: 1, 2, 3\)/,
    );
    expect(e!.details).toHaveLength(1);
    expect(await users()).toEqual(before);
  }, 60_000);
});
