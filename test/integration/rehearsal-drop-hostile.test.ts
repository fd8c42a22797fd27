import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dropArchiveStep } from '../../src/steps/upgrade-copy/copy-database.js';
import { startMariadb, type Mariadb } from '../helpers/services/index.js';
import { plan } from '../helpers/records.js';

/**
 * Trust (issue 12): the rehearsal's clean-up drops the `<db>_rehearsal_mk<stamp>` schemas it finds with SHOW
 * DATABASES, as root. Those names are the target's, not ours: a schema named with a backtick once closed the
 * DROP's identifier early and ran the rest as SQL of its own (trust audit, session 6).
 */
let db: Mariadb;
beforeAll(async () => {
  db = await startMariadb();
});
afterAll(async () => {
  await db?.stop();
});

const quote = (n: string) => `\`${n.replace(/`/g, '``')}\``;

it('drops only <prefix><digits> schemas; a crafted schema name is never SQL', async () => {
  const p = plan();
  const name = `${p.database.name}_rehearsal`;
  const rehearsalPlan = { ...p, database: { ...p.database, name, socket: db.socket } };
  const actions = dropArchiveStep('x').plan({
    plan: rehearsalPlan,
    facts: {},
    secret: () => {
      throw new Error('no secret is needed');
    },
  } as never) as { kind: string; command?: { argv: string[] } }[];
  const argv = actions.find((a) => a.kind === 'run')!.command!.argv;
  const script = argv[argv.indexOf('-c') + 1]!;
  const prefix = `${name}_mk`;
  // sorts before `${prefix}\`z` (a backtick sorts before z), whose DROP it closed early on the old code
  const hostile = `${prefix}\`\`z\`;CREATE/**/DATABASE/**/pwned;#`;
  const ours = `${prefix}20261206142000`;
  for (const n of [hostile, `${prefix}\`z`, ours, `${prefix}1 2`]) await db.rootClient.query(`CREATE DATABASE ${quote(n)}`);
  try {
    execFileSync('bash', ['-e', '-u', '-o', 'pipefail', '-c', script, 'bash', prefix, ...db.rootClient.argv], {
      stdio: 'pipe',
    });
    const dbs = (await db.rootClient.query('SHOW DATABASES')).map((r) => r[0]);
    expect(dbs).not.toContain('pwned');
    expect(dbs).not.toContain(ours);
    expect(dbs).toEqual(expect.arrayContaining([hostile, `${prefix}\`z`, `${prefix}1 2`]));
  } finally {
    for (const n of [hostile, `${prefix}\`z`, ours, `${prefix}1 2`, 'pwned'])
      await db.rootClient.query(`DROP DATABASE IF EXISTS ${quote(n)}`);
  }
});
