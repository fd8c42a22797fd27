/**
 * Issues 17 x 18 end to end on a real Dolibarr with the real multicompany module: entities 2 and 3, then an
 * integration plan whose system "erp-sync" reaches entities 1 and 2 (`apiAccess.entities`); prints the users, their
 * rights per entity, the verification the run did, and REST calls made from here with each key in each entity
 * (DOLAPIENTITY); then entity 1 taken out of the plan (its user keeps no right and no key).
 *
 *   npx tsx scripts/e2e-api-entities.ts --release /work/releases/dolibarr-20.0.2.tgz --module /work/releases/multicompany-18.0.7.tgz
 */
import { join } from 'node:path';
import { planSchema, type PlanInput } from '../src/core/plan.js';
import { entitiesPipeline } from '../src/steps/entities/index.js';
import { argValue, describeError, releaseVersion, runScript } from '../test/helpers/e2e-script.js';
import { startInstallStack, type InstallStack } from '../test/helpers/install-stack/index.js';
import { runPipeline } from '../test/helpers/install-stack/run-pipeline.js';
import { runPlanOnStack } from '../test/helpers/install-stack/run-plan.js';
import { siteRows } from '../test/helpers/install-stack/site-sql.js';
import { acmeEntities } from '../test/helpers/integrations/acme-entities.js';
import { writeApiAccessPlan } from '../test/helpers/integrations/api-access-plan.js';
import { callApi } from '../test/helpers/integrations/api-call.js';
import { makeTempDir } from '../test/helpers/services/index.js';

const release = argValue('--release') ?? '/work/releases/dolibarr-20.0.2.tgz';
const module = argValue('--module') ?? '/work/releases/multicompany-18.0.7.tgz';
const line = (label: string, text: string) => console.log(`${label.padEnd(22)} ${text}`);
const reader = ['societe.lire', 'societe.client.voir'];
const entities = acmeEntities({
  label: 'ACME Suisse',
  company: { name: 'ACME Suisse SA', country: 'CH', currency: 'CHF' },
});

let run = 0;
async function deploy(stack: InstallStack, home: string, apiAccess: Record<string, unknown>) {
  const planFile = join(home, `plan-${++run}.yaml`);
  const plan = writeApiAccessPlan(stack, planFile, apiAccess, entities);
  const t = Date.now();
  const outcome = await runPlanOnStack(stack, plan, {
    planFile,
    storeDir: home,
    deploymentId: `acme-api-e-${run}`,
    planHash: 'e2e',
  });
  return { outcome, ms: Date.now() - t };
}

async function main(): Promise<number> {
  const version = releaseVersion(release);
  if (!version) throw new Error(`cannot tell the version from ${release}`);
  const started = Date.now();
  const stack = await startInstallStack({
    release,
    version,
    modules: ['modSociete', 'modApi'],
    customModules: [{ name: 'multicompany', source: module }],
    mariadbArgs: ['--innodb-buffer-pool-size=256M', '--innodb-log-file-size=128M'],
    skipCron: true,
  });
  line('install', `${version} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const home = makeTempDir('e2e-api-entities-home');
  const sql = (q: string) => siteRows(stack, q);
  const key = (name: string) => stack.secrets.values.get(name)?.reveal() ?? '';
  const call = async (path: string, k: string, entity: number) => {
    const r = await callApi(stack, path, k, entity);
    const markers = [...new Set(r.text.match(/marker-[a-z]+/g) ?? [])].join(',');
    return { status: r.status, text: `${r.status} ${markers || r.text.replace(/\s+/g, ' ').slice(0, 70)}` };
  };
  let failures = 0;
  const expectStatus = async (
    label: string,
    path: string,
    k: string,
    entity: number,
    want: number[],
    marker?: string,
  ) => {
    const r = await call(path, k, entity);
    const ok =
      want.includes(r.status) && (!marker || (r.text.includes(marker) && r.text.split(',').length === 1));
    if (!ok) failures++;
    line(
      label,
      `${r.text}${ok ? '' : `  (expected ${want.join('/')}${marker ? ` with only ${marker}` : ''})`}`,
    );
  };
  try {
    const t0 = Date.now();
    await runPipeline(stack.host, entitiesPipeline(), {
      ...stack.ctx,
      plan: planSchema.parse({ ...(stack.plan as PlanInput), entities }),
    });
    line('entities', `2 and 3 in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    for (const [n, e] of [
      ['one', 1],
      ['two', 2],
      ['three', 3],
    ] as const)
      await sql(
        `INSERT INTO llx_societe (nom, entity, client, datec) VALUES ('marker-${n}', ${e}, 1, NOW())`,
      );
    const first = await deploy(stack, home, {
      rights: [...reader, 'user.user.lire'],
      entities: [1, { id: 2, rights: reader }],
    });
    line(
      'run 1',
      `${first.outcome.steps.map((s) => `${s.step} ${s.status}`).join(', ')} in ${(first.ms / 1000).toFixed(1)} s`,
    );
    for (const c of first.outcome.outputs.integrationChecks as { check: string }[])
      line('  checked', c.check);
    line(
      'users',
      (
        await sql(
          "SELECT CONCAT(login, '@', entity, ' admin=', admin, ' key=', LEFT(api_key, 9)) FROM llx_user WHERE login LIKE 'api-erp%' ORDER BY login",
        )
      ).join(' | '),
    );
    line(
      'rights',
      (
        await sql(
          "SELECT CONCAT(u.login, '@', ur.entity, ' ', CONCAT_WS('.', d.module, d.perms, NULLIF(d.subperms, ''))) FROM llx_user_rights ur JOIN llx_user u ON u.rowid = ur.fk_user JOIN llx_rights_def d ON d.id = ur.fk_id AND d.entity = ur.entity WHERE u.login LIKE 'api-erp%' ORDER BY 1",
        )
      ).join(', '),
    );
    const [k1, k2] = [key('acme/api-erp-sync'), key('acme/api-erp-sync-e2')];
    await expectStatus('key 1, entity 1', 'thirdparties?limit=10', k1, 1, [200], 'marker-one');
    await expectStatus('key 1, entity 1 users', 'users?limit=1', k1, 1, [200]);
    await expectStatus('key 1, entity 2', 'thirdparties?limit=10', k1, 2, [401, 403]);
    await expectStatus('key 2, entity 2', 'thirdparties?limit=10', k2, 2, [200], 'marker-two');
    await expectStatus('key 2, entity 2 users', 'users?limit=1', k2, 2, [401, 403]);
    await expectStatus('key 2, entity 1', 'thirdparties?limit=10', k2, 1, [401, 403]);
    await expectStatus('key 2, entity 3', 'thirdparties?limit=10', k2, 3, [401, 403]);
    const second = await deploy(stack, home, { rights: reader, entities: [{ id: 2, rights: reader }] });
    line(
      'run 2',
      `${second.outcome.steps.map((s) => `${s.step} ${s.status}`).join(', ')} in ${(second.ms / 1000).toFixed(1)} s`,
    );
    line(
      'users',
      (
        await sql(
          "SELECT CONCAT(login, '@', entity, ' key=', COALESCE(LEFT(api_key, 9), 'none'), ' rights=', (SELECT COUNT(*) FROM llx_user_rights r WHERE r.fk_user = u.rowid)) FROM llx_user u WHERE login LIKE 'api-erp%' ORDER BY login",
        )
      ).join(' | '),
    );
    await expectStatus('old key 1, entity 1', 'thirdparties?limit=10', k1, 1, [401]);
    await expectStatus('key 2, entity 2', 'thirdparties?limit=10', k2, 2, [200], 'marker-two');
  } catch (e) {
    failures++;
    console.error(describeError(e));
  } finally {
    await stack.stop();
  }
  line('result', failures ? `${failures} failure(s)` : 'all as expected');
  return failures ? 1 : 0;
}

runScript(main);
