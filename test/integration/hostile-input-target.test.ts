import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { liveDatabase } from '../../src/backup/live-database.js';
import { readTargetState } from '../../src/backup/target-state.js';
import { phpString } from '../../src/escape/php.js';
import { LocalHost } from '../../src/hosts/local.js';
import type { StepContext } from '../../src/steps/step.js';
import { plan } from '../helpers/records.js';

/**
 * Hostile input from the target (issue 12 on the issue-19 paths): the name of the live database is read from
 * `current`'s conf.php, which is code the web user may be able to change on an adopted or damaged site. That name
 * then goes, as root, into the rollback's "drop every table of <db>, load the dump", the backup's dump, the upgrade
 * by copy's CREATE/GRANT and the archives' retention. A conf.php naming `mysql` (or a name that reads as an option
 * of the mariadb client, or a quote) must not steer root there: only the plan's name or `<name>_mk<stamp>` is taken.
 */
const root = mkdtempSync(join(tmpdir(), 'moko-hostile-target-'));
chmodSync(root, 0o755);
const htdocs = join(root, 'releases', 'r1', 'htdocs');
mkdirSync(join(htdocs, 'conf'), { recursive: true });
for (const d of [join(root, 'releases'), join(root, 'releases', 'r1'), htdocs, join(htdocs, 'conf')]) chmodSync(d, 0o755);
symlinkSync('releases/r1', join(root, 'current'));
writeFileSync(join(htdocs, 'filefunc.inc.php'), "<?php\ndefine('DOL_VERSION', '20.0.2');\n", { mode: 0o644 });
afterAll(() => rmSync(root, { recursive: true, force: true }));

const p = plan({
  target: { host: 'local', root, dataRoot: join(root, 'documents'), backupRoot: join(root, 'backups') },
});

/** conf.php as the web user could write it: the database name is the only hostile value. */
function confNaming(name: string): void {
  writeFileSync(
    join(htdocs, 'conf', 'conf.php'),
    `<?php\n$dolibarr_main_db_name = ${phpString(name)};\n$dolibarr_main_db_host = '127.0.0.1';\n` +
      "$dolibarr_main_db_user = 'nobody'; $dolibarr_main_db_pass = ''; $dolibarr_main_db_port = 1;\n" +
      "$dolibarr_main_db_prefix = 'llx_';\n",
    { mode: 0o644 },
  );
}

const ctxWith = (target: unknown): StepContext => ({ plan: p, facts: { target } }) as unknown as StepContext;

describe("the live database named by the target's conf.php", () => {
  const hostile = [
    'mysql',
    'information_schema',
    '--execute=DROP DATABASE mysql',
    "x`; DROP DATABASE mysql; -- '",
    `${p.database.name}_mk2026`, // not a stamp
    `${p.database.name}_mkcopy`,
    'other_mk20261101000000',
  ];
  it.runIf(process.getuid?.() === 0).each(hostile)('%s is not taken as the live database', async (name) => {
    confNaming(name);
    const state = await readTargetState(new LocalHost(), p);
    expect(state.currentRelease).toBe('r1'); // the site was read: the name itself is what is refused
    expect(state.liveDatabase).toBeUndefined();
    expect(liveDatabase(ctxWith(state))).toBe(p.database.name);
  });

  it.runIf(process.getuid?.() === 0)("the plan's name and an upgrade by copy's <name>_mk<stamp> are", async () => {
    for (const name of [p.database.name, `${p.database.name}_mk20261101093000`]) {
      confNaming(name);
      const state = await readTargetState(new LocalHost(), p);
      expect(state.liveDatabase).toBe(name);
      expect(liveDatabase(ctxWith(state))).toBe(name);
    }
  });
});
