import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLiveDatabase } from '../../src/backup/live-database.js';
import { LocalHost } from '../../src/hosts/local.js';
import { plan } from '../helpers/records.js';

/**
 * Issue 12: the database name `current`'s conf.php gives (PHP the web user may be able to change) is read back by
 * verify and report (readLiveDatabase) and is taken only when it is this deployment's — the plan's name or
 * `<name>_mk<stamp>` — as readTargetState already did for the upgrade and the rollback.
 */
const root = mkdtempSync(join(tmpdir(), 'moko-live-db-'));
chmodSync(root, 0o755);
const conf = join(root, 'current', 'htdocs', 'conf');
mkdirSync(conf, { recursive: true });
for (const d of [join(root, 'current'), join(root, 'current', 'htdocs'), conf]) chmodSync(d, 0o755);
const p = plan({ target: { host: 'local', root, dataRoot: join(root, 'documents'), backupRoot: join(root, 'backups') } });
afterAll(() => rmSync(root, { recursive: true, force: true }));

const naming = (name: string) =>
  writeFileSync(join(conf, 'conf.php'), `<?php\n$dolibarr_main_db_name = ${JSON.stringify(name)};\n`, { mode: 0o644 });

describe('readLiveDatabase takes only a name of this deployment', () => {
  it.runIf(process.getuid?.() === 0).each([
    ['mysql', undefined],
    ['information_schema', undefined],
    ['other_client_crm', undefined],
    [`${p.database.name}x`, undefined],
    [p.database.name, p.database.name],
    [`${p.database.name}_mk20261206101500`, `${p.database.name}_mk20261206101500`],
  ])('conf.php naming %s', async (name, taken) => {
    naming(name);
    expect(await readLiveDatabase(new LocalHost(), p)).toBe(taken);
  });
});
