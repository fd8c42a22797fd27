import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Host } from '../../src/hosts/host.js';
import { LocalHost } from '../../src/hosts/local.js';
import { SshHost } from '../../src/hosts/ssh.js';
import {
  fenceEndCommand,
  fenceHeldCommand,
  fenceReleaseCommand,
  fenceStartCommand,
} from '../../src/steps/upgrade-copy/fence.js';
import { deployUser, ensureUser, startMariadb, startSshd, type Mariadb } from '../helpers/services/index.js';
import { sshTargetOf, type Sshd } from '../helpers/services/sshd.js';
import { openClientSession } from '../helpers/services/mariadb-session.js';

/**
 * Issue 19, the write fence (src/steps/upgrade-copy/fence*.ts) on a real MariaDB: what MariaDB does with
 * `LOCK TABLES ... READ` held by one session (the claims the rollback before writes stands on), and the commands
 * that start, check, release and end it, run on this machine and over SSH as the non-root deploy user (sudo).
 */
let db: Mariadb;
const out = mkdtempSync(join(tmpdir(), 'moko-fence-'));
const dir = join(out, 'release-state', 'fence');
const local = new LocalHost();
const schema = 'acme_crm_mk20261206120000';
const client = () => db.rootClient.argv.filter((a) => a !== '--batch' && a !== '--skip-column-names');
const q = (sql: string) => db.rootClient.query(sql);
const times = { waitSeconds: 2, lifetimeSeconds: 120 };
const fences = async () =>
  Number(
    (
      await q(
        `SELECT COUNT(*) FROM information_schema.processlist WHERE info LIKE 'DO SLEEP(%mokodeploy-fence:${schema}%'`,
      )
    )[0]![0],
  );
const rows = async (v: string) =>
  Number((await q(`SELECT COUNT(*) FROM \`${schema}\`.t WHERE v = '${v}'`))[0]![0]);

/** A client of the site's account on the schema, as a Dolibarr request holds one; `send` one statement at a time. */
const siteSession = () =>
  openClientSession(db.rootClient.argv, { user: 'acme', password: 'site-pw', port: db.port, schema });

async function run(host: Host, command: Parameters<Host['run']>[0]) {
  const t = Date.now();
  const r = await host.run(command);
  return { ...r, ms: Date.now() - t };
}

async function stateOf(id: string): Promise<string | undefined> {
  return (await q(`SELECT state FROM information_schema.processlist WHERE id = ${Number(id)}`))[0]?.[0];
}

async function waitUntil(what: string, ok: () => Promise<boolean>, ms = 15_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out: ${what}`);
}

beforeAll(async () => {
  db = await startMariadb();
  await q(`CREATE DATABASE \`${schema}\``);
  await q(`CREATE TABLE \`${schema}\`.t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(40)) ENGINE=InnoDB`);
  // names as a hostile module could create them: quoted in SQL by the fence itself
  await q(`CREATE TABLE \`${schema}\`.\`we\`\`ird'; DROP TABLE t; --\` (v VARCHAR(40)) ENGINE=InnoDB`);
  await q(`CREATE VIEW \`${schema}\`.v_t AS SELECT * FROM \`${schema}\`.t`);
  await q(`CREATE USER acme@'127.0.0.1' IDENTIFIED BY 'site-pw'`);
  await q(`GRANT ALL ON \`${schema}\`.* TO acme@'127.0.0.1'`);
  await q(`INSERT INTO \`${schema}\`.t (v) VALUES ('before')`);
}, 120_000);

afterAll(async () => {
  await db?.stop();
  rmSync(out, { recursive: true, force: true });
});

describe('the write fence on a real MariaDB', () => {
  it('a slow read in flight does not delay it and completes; a writer waits, is killed at the release, its row absent', async () => {
    const reader = siteSession();
    reader.send('SELECT SLEEP(5), COUNT(*) FROM t;');
    reader.end(); // the client leaves once its read is answered, as a request ends
    await new Promise((r) => setTimeout(r, 300));
    const start = await run(local, fenceStartCommand(dir, schema, times, client()));
    expect(start.code, start.stderr).toBe(0);
    expect(start.ms).toBeLessThan(1000);
    const [fenceId, highest] = start.stdout.trim().split(' ');
    expect(Number(highest)).toBeGreaterThanOrEqual(Number(fenceId));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect((await run(local, fenceHeldCommand(schema, client()))).code).toBe(0);
    // another session reads fine, a writer of any table waits on the metadata lock (the weird table too)
    expect(await q(`SELECT COUNT(*) FROM \`${schema}\`.t`)).toEqual([['1']]);
    const writer = siteSession();
    writer.send("SELECT CONNECTION_ID(); INSERT INTO t (v) VALUES ('after the fence');");
    expect(await writer.waitFor(/^\d+$/m)).toBe(true);
    const writerId = /^(\d+)$/m.exec(writer.output())![1]!;
    await waitUntil(
      'the writer to wait',
      async () => (await stateOf(writerId)) === 'Waiting for table metadata lock',
    );
    const weird = siteSession();
    weird.send("INSERT INTO `we``ird'; DROP TABLE t; --` (v) VALUES ('x');");
    const root = await run(local, {
      argv: [...db.rootClient.argv, '-e', `INSERT INTO \`${schema}\`.t (v) VALUES ('root')`],
      timeoutMs: 1500,
    });
    expect(root.timedOut, 'root too waits for the fence').toBe(true);

    const release = await run(local, fenceReleaseCommand(dir, schema, 'acme', client(), 20));
    const releasedAt = Date.now();
    expect(release.code, release.stderr).toBe(0);
    // two writers killed, none at the bound, one fence ended; the release waited for the read to finish
    expect(release.stdout.trim()).toBe('2 0 1');
    // the release waited for the read, which ended normally
    expect(await reader.exited).toBe(0);
    expect(reader.exitedAt()).toBeLessThanOrEqual(releasedAt + 300);
    expect(release.ms).toBeGreaterThan(1000);
    expect(reader.output()).toMatch(/^0\t1$/m);
    expect(await writer.exited).not.toBe(0);
    expect(writer.output()).toMatch(/Lost connection|server has gone away|Connection was killed/);
    expect(await weird.exited).not.toBe(0);
    expect(await rows('after the fence')).toBe(0);
    expect(await fences()).toBe(0);
    expect(existsSync(dir) && (await import('node:fs')).readdirSync(dir)).toEqual([]);
  }, 60_000);

  it('a transaction that already wrote makes it wait, bounded by lock_wait_timeout: not taken, nothing held', async () => {
    const tx = siteSession();
    tx.send("START TRANSACTION; INSERT INTO t (v) VALUES ('open'); SELECT 'written';");
    expect(await tx.waitFor(/written/)).toBe(true);
    const start = await run(
      local,
      fenceStartCommand(dir, schema, { waitSeconds: 1, lifetimeSeconds: 60 }, client()),
    );
    expect(start.code).toBe(1);
    expect(start.stderr).toMatch(/the write fence was not taken: .*Lock wait timeout exceeded/);
    expect(start.ms).toBeLessThan(5000);
    expect(await fences()).toBe(0);
    expect((await run(local, fenceHeldCommand(schema, client()))).stderr).toMatch(
      /the write fence on .* is gone/,
    );
    tx.send('COMMIT;');
    tx.end();
    expect(await tx.exited).toBe(0);
    expect(await rows('open')).toBe(1);
  }, 30_000);

  it('ended (not released): a blocked writer goes on and writes, nobody killed', async () => {
    expect((await run(local, fenceStartCommand(dir, schema, times, client()))).code).toBe(0);
    const writer = siteSession();
    writer.send("INSERT INTO t (v) VALUES ('after the end'); SELECT 'inserted';");
    await new Promise((r) => setTimeout(r, 500));
    expect(await rows('after the end')).toBe(0);
    const end = await run(local, fenceEndCommand(dir, schema, client()));
    expect(end.stdout.trim()).toBe('1');
    expect(await writer.waitFor(/inserted/)).toBe(true);
    writer.end();
    expect(await writer.exited).toBe(0);
    expect(await rows('after the end')).toBe(1);
  }, 30_000);

  it('bounded: it ends by itself after its lifetime, and within seconds when its client process is killed', async () => {
    const start = await run(
      local,
      fenceStartCommand(dir, schema, { waitSeconds: 2, lifetimeSeconds: 2 }, client()),
    );
    expect(start.code).toBe(0);
    expect(await fences()).toBe(1);
    await waitUntil('the fence to end at its lifetime', async () => (await fences()) === 0, 6_000);
    const again = await run(local, fenceStartCommand(dir, schema, times, client()));
    const id = again.stdout.trim().split(' ')[0]!;
    // the client process (setsid, its own session) found by the connection it holds, killed with SIGKILL
    const pid = (
      await run(local, {
        argv: ['pgrep', '-f', `^mariadb --no-defaults --socket=${db.socket} .*--unbuffered$`],
      })
    ).stdout.trim();
    expect(pid).toMatch(/^\d+$/);
    process.kill(Number(pid), 'SIGKILL');
    const t = Date.now();
    await waitUntil(
      'the fence to end with its client',
      async () => (await stateOf(id)) === undefined,
      10_000,
    );
    console.log(`fence ended ${Date.now() - t} ms after its client was killed`);
    expect(Date.now() - t).toBeLessThan(8000);
    await q(`INSERT INTO \`${schema}\`.t (v) VALUES ('free again')`);
  }, 40_000);
});

describe('over SSH as the non-root deploy user (sudo)', () => {
  let sshd: Sshd;
  let ssh: SshHost;
  beforeAll(async () => {
    ensureUser(deployUser, { sudo: 'nopasswd' });
    sshd = await startSshd({ users: [deployUser] });
    ssh = new SshHost(sshTargetOf(sshd, deployUser));
  }, 60_000);
  afterAll(async () => {
    await ssh?.close();
    await sshd?.stop();
  });

  it('the start returns once held (the SSH command does not wait for the session), held, released', async () => {
    const start = await run(ssh, { ...fenceStartCommand(dir, schema, times, client()) });
    expect(start.code, start.stderr).toBe(0);
    expect(start.ms).toBeLessThan(3000);
    expect(await fences()).toBe(1);
    expect((await run(ssh, fenceHeldCommand(schema, client()))).code).toBe(0);
    const blocked = await run(local, {
      argv: [...db.rootClient.argv, '-e', `INSERT INTO \`${schema}\`.t (v) VALUES ('ssh')`],
      timeoutMs: 1500,
    });
    expect(blocked.timedOut).toBe(true);
    const release = await run(ssh, fenceReleaseCommand(dir, schema, 'acme', client(), 5));
    expect(release.stdout.trim()).toBe('0 0 1');
    expect(await fences()).toBe(0);
  }, 60_000);
});
