import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planSchema } from '../../src/core/plan.js';
import { configureTelemetry, installTelemetry } from '../../src/steps/integrations/telemetry.js';
import { dolibarrSession } from '../helpers/dolibarr-pages.js';
import { buildFixtureRelease } from '../helpers/fixture-release/build.js';
import { caOf, startInstallStack, type InstallStack } from '../helpers/install-stack/index.js';
import { runPipeline } from '../helpers/install-stack/run-pipeline.js';

/**
 * Issue 17 "Telemetry": a client install does not send Dolibarr's anonymous first ping unless the plan opts in.
 * The fixture's llxFooter() imitates main.inc.php (20.0.2 l.3863-3868): the ping script is on the home page while
 * MAIN_FIRST_PING_OK_DATE is empty or MAIN_FIRST_PING_OK_ID is neither the instance hash nor 'disabled'.
 * Checked on the page a logged-in admin gets, as a browser would run it.
 */
let stack: InstallStack;

beforeAll(async () => {
  const fixture = buildFixtureRelease({ version: '20.0.2' });
  stack = await startInstallStack({
    release: fixture.tarball,
    version: fixture.version,
    sha256: fixture.sha256,
  });
}, 600_000);

afterAll(async () => {
  await stack?.stop();
});

const sql = async (q: string) =>
  (await stack.db.rootClient.query(`USE ${stack.plan.database.name}; ${q}`)).map((r) => r.join('\t'));

async function homePage(): Promise<string> {
  const page = await dolibarrSession({
    url: stack.plan.site.url,
    ca: caOf(stack),
    login: stack.plan.admin.login,
    password: stack.secrets.secret(stack.plan.admin.password.secret),
  });
  const home = await page('index.php');
  expect(home.status).toBe(200);
  expect(home.body).toContain('id="dashboard"'); // the home page itself, logged in
  return home.body;
}

describe('telemetry (issue 17): no first ping from a client install unless the plan opts in', () => {
  it('a new install writes the opt-out and its home page has no ping script', async () => {
    expect(
      await sql(
        "SELECT entity, name, value FROM llx_const WHERE name = 'MAIN_FIRST_PING_OK_ID' ORDER BY entity",
      ),
    ).toEqual(['0\tMAIN_FIRST_PING_OK_ID\tdisabled', '1\tMAIN_FIRST_PING_OK_ID\tdisabled']);
    const body = await homePage();
    expect(body).not.toContain('anonymous Ping');
    expect(body).not.toContain('ping.dolibarr.org');
  }, 120_000);

  it("after an upgrade re-arms the ping (upgrade2.php l.620 'torefresh') the page has it, and the step removes it again", async () => {
    await sql("UPDATE llx_const SET value = 'torefresh' WHERE name = 'MAIN_FIRST_PING_OK_ID'");
    expect(await homePage()).toContain('ping.dolibarr.org'); // what the check would miss if the fixture did not ping
    await runPipeline(stack.host, [configureTelemetry], { ...stack.ctx, outputs: {} });
    const body = await homePage();
    expect(body).not.toContain('anonymous Ping');
    expect(body).not.toContain('ping.dolibarr.org');
  }, 120_000);

  it('a plan that opts in (dolibarr.telemetry: true) leaves Dolibarr its default: the step does nothing', () => {
    const plan = planSchema.parse({ ...stack.plan, dolibarr: { ...stack.plan.dolibarr, telemetry: true } });
    expect(installTelemetry.plan({ ...stack.ctx, plan, outputs: {} })).toEqual([]);
    expect(installTelemetry.plan({ ...stack.ctx, outputs: {} })).toHaveLength(1);
  });
});
