import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLiveDatabase } from '../../src/backup/live-database.js';
import { readWebhookFacts } from '../../src/integrations/webhook-found.js';
import { detectExistingInstall } from '../../src/steps/install/adopt.js';
import { LocalHost } from '../../src/hosts/local.js';
import { plan } from '../helpers/records.js';

/**
 * conf.php is PHP code on the client's server, and on an adopted or damaged site the web user may be able to change
 * it. mokodeploy includes it to read the database name and credentials; it must do so as the web user (who can read
 * it anyway), never as root, or a compromised web application would run code as root at the next mokodeploy
 * command. The conf.php here names the database after the user id PHP ran with.
 */
const root = mkdtempSync(join(tmpdir(), 'moko-conf-user-'));
chmodSync(root, 0o755);
const htdocs = join(root, 'current', 'htdocs');
mkdirSync(join(htdocs, 'conf'), { recursive: true });
for (const d of [join(root, 'current'), htdocs, join(htdocs, 'conf')]) chmodSync(d, 0o755);
const p = plan({
  target: { host: 'local', root, dataRoot: join(root, 'documents'), backupRoot: join(root, 'backups') },
});
// the name carries the uid PHP ran with, as one of this deployment's names (<name>_mk<stamp>): another name is not taken
const uidName = (uid: number) => `${p.database.name}_mk${String(uid).padStart(14, '0')}`;
writeFileSync(
  join(htdocs, 'conf', 'conf.php'),
  `<?php\n$dolibarr_main_db_name = '${p.database.name}_mk' . sprintf('%014d', posix_geteuid());\n$dolibarr_main_db_host = '127.0.0.1';\n` +
    "$dolibarr_main_db_user = 'nobody'; $dolibarr_main_db_pass = ''; $dolibarr_main_db_port = 1;\n" +
    "$dolibarr_main_db_prefix = 'llx_';\n",
  { mode: 0o644 },
);
writeFileSync(join(htdocs, 'filefunc.inc.php'), '<?php\n', { mode: 0o644 });
const webUid = 33; // www-data, the plan's default web user (Debian)

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('conf.php is included as the web user, never as root', () => {
  it.runIf(process.getuid?.() === 0)('the live database name is read as the web user', async () => {
    expect(p.target.webUser).toBe('www-data');
    expect(await readLiveDatabase(new LocalHost(), p)).toBe(uidName(webUid));
  });
  it.runIf(process.getuid?.() === 0)('an existing install is looked at as the web user when it is known', async () => {
    const found = await detectExistingInstall(new LocalHost(), join(root, 'current'), 'www-data');
    expect(found?.database).toMatchObject({ reachable: false, name: uidName(webUid) });
  });
  it.runIf(process.getuid?.() === 0)('the webhook targets are read as the web user', async () => {
    // the connection fails (port 1), so the answer is unknown; what matters is who ran it: a conf.php that answers
    // differently when root runs it
    const shared = join(root, 'shared', 'conf'); // the shared conf.php (src/dolibarr/layout.ts confPhp)
    mkdirSync(shared, { recursive: true });
    for (const d of [join(root, 'shared'), shared]) chmodSync(d, 0o755);
    writeFileSync(
      join(shared, 'conf.php'),
      "<?php\nif (posix_geteuid() === 0) { echo json_encode(array('refs' => array('ran-as-root'))); exit(0); }\n" +
        "$dolibarr_main_db_name = 'x'; $dolibarr_main_db_host = '127.0.0.1'; $dolibarr_main_db_user = 'nobody';\n" +
        "$dolibarr_main_db_pass = ''; $dolibarr_main_db_port = 1; $dolibarr_main_db_prefix = 'llx_';\n",
      { mode: 0o644 },
    );
    const facts = await readWebhookFacts(new LocalHost(), p);
    expect(facts.webhookTargetsFound).not.toEqual(['ran-as-root']);
    expect(facts.webhookTargetsFound).toBeNull();
  });
});
