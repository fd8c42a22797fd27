/**
 * Issue 17 "Telemetry" on a real Dolibarr: install a release (scripts/e2e.ts's stack), log in as the admin, read the
 * home page (where main.inc.php's llxFooter() prints the anonymous first-ping script) and say whether the ping script
 * is there; then re-arm it as upgrade2.php l.620 does ('torefresh'), read again, run integrations:telemetry, read again.
 *
 *   npx tsx scripts/e2e-telemetry.ts --release /work/releases/dolibarr-20.0.2.tgz
 */
import { configureTelemetry } from '../src/steps/integrations/telemetry.js';
import { dolibarrSession } from '../test/helpers/dolibarr-pages.js';
import { caOf, startInstallStack } from '../test/helpers/install-stack/index.js';
import { runPipeline } from '../test/helpers/install-stack/run-pipeline.js';

const i = process.argv.indexOf('--release');
const release = i > 0 ? process.argv[i + 1]! : '/work/releases/dolibarr-20.0.2.tgz';

async function main(): Promise<number> {
  const version = /dolibarr-(\d+\.\d+\.\d+)\.tgz$/.exec(release)?.[1];
  if (!version) throw new Error(`cannot tell the version from ${release} (expected dolibarr-X.Y.Z.tgz)`);
  const stack = await startInstallStack({ release, version, mariadbArgs: ['--innodb-buffer-pool-size=256M'] });
  try {
    const sql = async (q: string) =>
      (await stack.db.rootClient.query(`USE ${stack.plan.database.name}; ${q}`)).map((r) => r.join(' '));
    const home = async () => {
      const page = await dolibarrSession({
        url: stack.plan.site.url,
        ca: caOf(stack),
        login: stack.plan.admin.login,
        password: stack.secrets.secret(stack.plan.admin.password.secret),
      });
      const r = await page('index.php');
      const marker = /<!-- ([^>]*anonymous Ping[^>]*) -->/.exec(r.body)?.[1] ?? '(no ping comment)';
      return { status: r.status, ping: r.body.includes('ping.dolibarr.org'), marker, logged: r.body.includes('logout') };
    };
    const consts = () => sql("SELECT entity, name, value FROM llx_const WHERE name LIKE 'MAIN\\_%\\_PING\\_%' ORDER BY name, entity");
    console.log(`installed ${version}; constants:`, await consts());
    const a = await home();
    console.log('home after install:', a);
    await sql("UPDATE llx_const SET value = 'torefresh' WHERE name = 'MAIN_FIRST_PING_OK_ID'");
    const b = await home();
    console.log("home after 'torefresh' (upgrade2.php l.620):", b);
    await runPipeline(stack.host, [configureTelemetry], { ...stack.ctx, outputs: {} });
    const c = await home();
    console.log('home after integrations:telemetry:', c, await consts());
    return !a.ping && b.ping && !c.ping && a.logged ? 0 : 1;
  } finally {
    await stack.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(2);
  },
);
