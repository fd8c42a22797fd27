import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { MokoError } from '../../src/core/errors.js';
import { planSchema, type Plan, type PlanInput } from '../../src/core/plan.js';
import { Journal, runSteps } from '../../src/runner/index.js';
import { pipelineFor } from '../../src/runner/pipelines.js';
import { checkApiUsers } from '../../src/steps/integrations/api-users-check.js';
import { HttpSession } from '../../src/verify/http.js';
import { buildFixtureRelease } from '../helpers/fixture-release/build.js';
import { caOf, startInstallStack, type InstallStack } from '../helpers/install-stack/index.js';
import { makeTempDir, removeDir } from '../helpers/services/index.js';

/**
 * Issue 17 "API connections" against the fixture site (MariaDB, PHP-FPM, nginx): the external system gets its own
 * Dolibarr user with only the plan's rights and a key from the secret store; a REST call inside the rights passes
 * and one outside them is refused; a right taken out of the plan is revoked on the next run with the same user and
 * key; an unknown right is refused with the plan's file:line and near names; the key never reaches argv, the
 * journal or the run's output.
 */
let stack: InstallStack;
let home: string;
let planFile: string;
let run = 0;

beforeAll(async () => {
  home = makeTempDir('api-users-home');
  const fixture = buildFixtureRelease({ version: '20.0.2' });
  stack = await startInstallStack({
    release: fixture.tarball,
    version: fixture.version,
    sha256: fixture.sha256,
    modules: ['modSociete', 'modFacture'],
  });
}, 600_000);

afterAll(async () => {
  await stack?.stop();
  if (home) removeDir(home);
});

function apiPlan(rights: string[], extra: Record<string, unknown> = {}): Plan {
  const input = {
    ...(stack.plan as PlanInput),
    kind: 'integration',
    integrations: [
      { id: 'erp-sync', kind: 'api', description: 'ERP sync', apiAccess: { rights, ...extra } },
    ],
  } as PlanInput;
  planFile = join(home, `plan-${++run}.yaml`);
  writeFileSync(planFile, stringify(input));
  return planSchema.parse(input);
}

async function deploy(plan: Plan, dryRun = false) {
  const pipeline = pipelineFor(plan, { planFile });
  const facts = await pipeline.gatherFacts(stack.host);
  const journal = Journal.open({ storeDir: home, deploymentId: `acme-api-${run}`, planHash: 'h' });
  const ctx = { ...stack.ctx, plan, facts, outputs: {} };
  return runSteps({ host: stack.host, steps: pipeline.steps(facts), ctx, journal, dryRun });
}

const sql = async (q: string) =>
  (await stack.db.rootClient.query(`USE ${stack.plan.database.name}; ${q}`)).map((r) => r.join('\t'));
const apiUser = () =>
  sql("SELECT rowid, admin, firstname, entity, pass_crypted IS NOT NULL, pass IS NULL, api_key FROM llx_user WHERE login = 'api-erp-sync'");
const rightsOf = () =>
  sql(
    "SELECT CONCAT_WS('.', d.module, d.perms, NULLIF(d.subperms, '')) FROM llx_user_rights ur JOIN llx_user u ON u.rowid = ur.fk_user JOIN llx_rights_def d ON d.id = ur.fk_id WHERE u.login = 'api-erp-sync' ORDER BY 1",
  );
const key = () => stack.secrets.values.get('acme/api-erp-sync')!.reveal();
const call = (path: string, apiKey = key()) =>
  new HttpSession({ url: stack.plan.site.url, ca: caOf(stack), address: '127.0.0.1' }).get(`api/index.php/${path}`, {
    headers: { DOLAPIKEY: apiKey, accept: 'application/json' },
  });

/** Every file under the run's store (journal, outputs), as text. */
function storeText(dir: string): string {
  return readdirSync(dir)
    .map((n) => join(dir, n))
    .map((p) => (statSync(p).isDirectory() ? storeText(p) : readFileSync(p, 'utf8')))
    .join('\n');
}

describe('integration deployment: API connections (issue 17)', () => {
  it('dry run lists every command, the key only as a secret on stdin', async () => {
    const outcome = await deploy(apiPlan(['societe.lire', 'facture.lire']), true);
    const listing = outcome.listing ?? '';
    expect(listing).toMatch(/integrations:api-users/);
    expect(listing).toMatch(/enable-modules\.php < \(secret on stdin\)/);
    expect(listing).toMatch(/integration-api-user\.php < \(secret on stdin\)/);
    expect(listing).toMatch(/api-call allowed .*invoices\?limit=1'? < \(secret on stdin\)/);
    expect(listing).toMatch(/api-call refused .*users\?limit=1'? < \(secret on stdin\)/);
    expect(await apiUser()).toEqual([]);
  }, 120_000);

  it('creates the user with only its rights and a stored key; allowed call passes, the other is refused', async () => {
    const before = stack.host.commands.length;
    const outcome = await deploy(apiPlan(['societe.lire', 'facture.lire']));
    expect(outcome.steps.map((s) => `${s.step} ${s.status}`)).toEqual([
      'integrations:php-tools done',
      'integrations:telemetry done',
      'integrations:api-users done',
      'integrations:api-users-check done',
    ]);
    const [row] = await apiUser();
    const [, admin, firstname, entity, hasHash, noClear, stored] = row!.split('\t');
    expect([admin, firstname, entity, hasHash, noClear]).toEqual(['0', 'mokodeploy', '1', '1', '1']);
    expect(stored).toBe(key());
    expect(await rightsOf()).toEqual(['facture.lire', 'societe.lire']);
    // the same calls from here: the key reads third parties and invoices, not users; another key is not let in
    expect([200, 404]).toContain((await call('thirdparties?limit=1')).status);
    expect((await call('invoices?limit=1')).status).toBe(200);
    expect((await call('users?limit=1')).status).toBe(403);
    expect((await call('thirdparties?limit=1', 'not-the-key-0123456789')).status).toBe(401);
    // the key is in no argv, no journal, no output
    const argv = stack.host.commands.slice(before).map((c) => c.argv.join(' ')).join('\n');
    expect(argv).not.toContain(key());
    expect(JSON.stringify(outcome)).not.toContain(key());
    expect(storeText(home)).not.toContain(key());
    expect(JSON.stringify(outcome.outputs.integrationChecks)).toMatch(/users\?limit=1 refused/);
  }, 300_000);

  it('a right taken out of the plan is revoked on the next run: same user, same key', async () => {
    const [first] = await apiUser();
    const keyBefore = key();
    await deploy(apiPlan(['societe.lire']));
    const [second] = await apiUser();
    expect(second!.split('\t')[0]).toBe(first!.split('\t')[0]);
    expect(second!.split('\t')[6]).toBe(keyBefore);
    expect(await rightsOf()).toEqual(['societe.lire']);
    expect((await call('invoices?limit=1')).status).toBe(403);
    expect([200, 404]).toContain((await call('thirdparties?limit=1')).status);
  }, 300_000);

  it('the check fails when the user holds a right outside the plan, and the next run takes it back', async () => {
    await sql(
      "INSERT INTO llx_user_rights (entity, fk_user, fk_id) SELECT 1, rowid, 251 FROM llx_user WHERE login = 'api-erp-sync'",
    );
    const plan = apiPlan(['societe.lire']);
    const journal = Journal.open({ storeDir: home, deploymentId: 'acme-api-check', planHash: 'h' });
    const ctx = { ...stack.ctx, plan, facts: { ...stack.ctx.facts }, outputs: {} };
    const e = (await runSteps({ host: stack.host, steps: [checkApiUsers], ctx, journal }).catch(
      (x: unknown) => x,
    )) as MokoError;
    expect(e).toBeInstanceOf(MokoError);
    expect(e.message).toMatch(/integrations:api-users-check failed: erp-sync: GET api\/index\.php\/users\?limit=1 .* must be refused/);
    expect(e.details.join('\n')).toContain('HTTP 200');
    await deploy(plan);
    expect(await rightsOf()).toEqual(['societe.lire']);
  }, 300_000);

  it('an unknown right is refused with the plan file:line and near names; nothing changes', async () => {
    const plan = apiPlan(['societe.lire', 'facture.lir']);
    const e = (await deploy(plan).catch((x: unknown) => x)) as MokoError;
    expect(e).toBeInstanceOf(MokoError);
    const text = [e.message, ...e.details].join('\n');
    expect(text).toContain(`${planFile}:`);
    expect(text).toMatch(/plan-\d+\.yaml:\d+:\d+ integrations\.0\.apiAccess\.rights\.1: unknown right facture\.lir/);
    expect(text).toMatch(/near: facture\.lire/);
    expect(await rightsOf()).toEqual(['societe.lire']);
  }, 300_000);

  it('hostile system names and rights are refused by the plan; one slipped past it stays data', async () => {
    const bad = planSchema.safeParse({
      ...(stack.plan as PlanInput),
      kind: 'integration',
      integrations: [
        { id: "erp'; DROP TABLE llx_user; --", kind: 'api', apiAccess: { rights: ['societe.lire'] } },
        { id: 'erp2', kind: 'api', apiAccess: { rights: ["societe.lire' OR '1'='1"], login: 'a b$(id)' } },
      ],
    });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining(['integrations.0.id', 'integrations.1.apiAccess.rights.0', 'integrations.1.apiAccess.login']),
    );
    // a plan built without the schema (a bug elsewhere) still cannot inject: the right is compared as data
    const plan = apiPlan(['societe.lire']);
    plan.integrations[0]!.apiAccess!.rights = ["societe.lire') OR 1=1; DELETE FROM llx_user_rights; --"];
    const e = (await deploy(plan).catch((x: unknown) => x)) as MokoError;
    expect([e.message, ...e.details].join('\n')).toMatch(/unknown right societe\.lire'\) OR 1=1/);
    expect(await rightsOf()).toEqual(['societe.lire']);
    expect((await sql('SELECT COUNT(*) > 0 FROM llx_user_rights'))[0]).toBe('1');
  }, 300_000);

  it('refuses to take over a login that is not its own (an admin)', async () => {
    const e = (await deploy(apiPlan(['societe.lire'], { login: stack.plan.admin.login })).catch(
      (x: unknown) => x,
    )) as MokoError;
    expect(e.message).toMatch(/already the plan admin/);
    await sql("INSERT INTO llx_user (login, entity, admin, lastname, firstname, statut) VALUES ('api-other', 1, 0, 'Someone', 'Else', 1)");
    const other = (await deploy(apiPlan(['societe.lire'], { login: 'api-other' })).catch(
      (x: unknown) => x,
    )) as MokoError;
    expect([other.message, ...other.details].join('\n')).toMatch(
      /login api-other already exists and is not mokodeploy's API user for erp-sync/,
    );
    expect(await sql("SELECT COUNT(*) FROM llx_user_rights ur JOIN llx_user u ON u.rowid = ur.fk_user WHERE u.login = 'api-other'")).toEqual(['0']);
  }, 300_000);

  it('a user someone disabled in Dolibarr is not reopened: refused, nothing changed', async () => {
    await sql("UPDATE llx_user SET statut = 0 WHERE login = 'api-erp-sync'");
    const e = (await deploy(apiPlan(['societe.lire', 'facture.lire'])).catch((x: unknown) => x)) as MokoError;
    expect([e.message, ...e.details].join('\n')).toMatch(/the API user api-erp-sync of erp-sync is disabled in Dolibarr/);
    expect(await rightsOf()).toEqual(['societe.lire']);
    expect((await sql("SELECT statut FROM llx_user WHERE login = 'api-erp-sync'"))[0]).toBe('0');
    await sql("UPDATE llx_user SET statut = 1 WHERE login = 'api-erp-sync'");
  }, 300_000);

  it('the allowed call fails when Dolibarr holds another key; the next run writes the stored one back', async () => {
    await sql("UPDATE llx_user SET api_key = 'someone-elses-key-0123456789' WHERE login = 'api-erp-sync'");
    const plan = apiPlan(['societe.lire']);
    const journal = Journal.open({ storeDir: home, deploymentId: 'acme-api-key', planHash: 'h' });
    const ctx = { ...stack.ctx, plan, facts: { ...stack.ctx.facts }, outputs: {} };
    const e = (await runSteps({ host: stack.host, steps: [checkApiUsers], ctx, journal }).catch(
      (x: unknown) => x,
    )) as MokoError;
    expect(e.message).toMatch(/erp-sync: GET api\/index\.php\/thirdparties\?limit=1 .* must succeed/);
    expect(e.details.join('\n')).toContain('HTTP 401');
    await deploy(plan);
    expect((await apiUser())[0]!.split('\t')[6]).toBe(key());
  }, 300_000);
});
