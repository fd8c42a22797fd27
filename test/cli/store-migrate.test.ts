import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type Postgres } from '../helpers/services/postgres.js';
import { notifyTeamYaml, readyRecord, seededWorkspace } from '../helpers/notify/seed.js';
import type { Workspace } from '../helpers/cli.js';

/**
 * Issue 20: `mokodeploy store migrate --from sqlite:PATH --to postgres://…` through the built CLI moves records,
 * revisions, evidence references, the outbox and the signed audit chain unchanged; `audit verify` passes on the
 * new store, and the CLI then works on it (--store / MOKODEPLOY_STORE). The password never shows.
 */
const id = 'acme-2026-12';
let server: Postgres;
beforeAll(async () => {
  server = await startPostgres();
}, 120_000);
afterAll(() => server?.stop());

/** The URL without its password, and the environment that gives it by PGPASSWORD (as a team would). */
async function newDatabase() {
  const url = new URL(await server.createDatabase());
  const password = url.password;
  url.password = '';
  return { url: url.toString(), password };
}

async function storeWithHistory(): Promise<Workspace> {
  const ws = await seededWorkspace(
    readyRecord(new Date('2026-12-03T08:00:00Z')),
    notifyTeamYaml(1),
    '2026-12-03T08:00:00Z',
  );
  const at = { MOKODEPLOY_CLOCK: '2026-12-03T09:00:00Z' };
  const run = (args: string[]) => {
    const r = ws.run(args, at);
    expect(r.code, r.stderr).toBe(0);
  };
  run(['schedule', id, '--as', 'dave', '--client-approved-by', 'Jane Client']); // queues the outbox messages
  writeFileSync(join(ws.dir, 'smoke.txt'), 'smoke test passed\n');
  run(['tick', id, 'requirements-documented', '--as', 'tina', '--file', 'smoke.txt']); // a file in evidence/
  run(['issue', 'open', id, 'logo too small', '--as', 'tina', '--severity', 'minor']);
  run(['lesson', id, 'ask for the logo early', '--as', 'tina']);
  return ws;
}

describe('store migrate', () => {
  it('moves a SQLite store into PostgreSQL unchanged; audit verify passes; the CLI then works on it', async () => {
    const ws = await storeWithHistory();
    const db = await newDatabase();
    const pgEnv = { PGPASSWORD: db.password };
    const before = {
      show: ws.run(['--json', 'show', id]).stdout,
      audit: ws.run(['audit', 'export']).stdout,
      outbox: ws.run(['--json', 'outbox']).stdout,
    };
    expect(JSON.parse(before.outbox).length).toBeGreaterThan(0);

    const r = ws.run(
      ['--json', 'store', 'migrate', '--from', `sqlite:${ws.storePath}`, '--to', db.url],
      pgEnv,
    );
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    const entries = before.audit.trim().split('\n').length;
    expect(result).toMatchObject({ deployments: 1, entries, to: db.url, evidenceMissing: [] });
    expect(result.evidenceFiles).toBeGreaterThan(0);

    const onPg = (args: string[], extra = {}) => ws.run(['--store', db.url, ...args], { ...pgEnv, ...extra });
    const verify = onPg(['audit', 'verify']);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toContain(`audit trail intact: ${entries} entries, signed`);
    expect(onPg(['audit', 'export']).stdout).toBe(before.audit);
    expect(onPg(['--json', 'show', id]).stdout).toBe(before.show);
    expect(onPg(['--json', 'outbox']).stdout).toBe(before.outbox);

    // the store in use: one more change on PostgreSQL (by MOKODEPLOY_STORE), chained after the copied head
    const env = { ...pgEnv, MOKODEPLOY_STORE: db.url, MOKODEPLOY_CLOCK: '2026-12-03T10:00:00Z' };
    const more = ws.run(['issue', 'open', id, 'second issue', '--as', 'tina', '--severity', 'minor'], env);
    expect(more.code, more.stderr).toBe(0);
    expect(ws.run(['audit', 'verify'], env).stdout).toContain(`intact: ${entries + 1} entries`);
    expect(JSON.parse(ws.run(['--json', 'show', id], env).stdout).revision).toBe(
      JSON.parse(before.show).revision + 1,
    );
    expect(ws.run(['audit', 'export']).stdout).toBe(before.audit); // the SQLite store was left as it was
  }, 120_000);

  it('refuses a target that is not empty, and a source whose trail does not verify: nothing copied', async () => {
    const ws = await storeWithHistory();
    const db = await newDatabase();
    const pgEnv = { PGPASSWORD: db.password };
    const args = ['store', 'migrate', '--from', `sqlite:${ws.storePath}`, '--to', db.url];
    expect(ws.run(args, pgEnv).code).toBe(0);
    const again = ws.run(args, pgEnv);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain('the target store is not empty: nothing was copied');

    const sqlite = new Database(ws.storePath);
    sqlite.prepare("UPDATE audit SET summary = 'nothing happened' WHERE seq = 2").run();
    sqlite.close();
    const other = await newDatabase();
    const broken = ws.run(['store', 'migrate', '--from', `sqlite:${ws.storePath}`, '--to', other.url], {
      PGPASSWORD: other.password,
    });
    expect(broken.code).toBe(4);
    expect(broken.stderr).toMatch(/does not verify: nothing was copied/);
    // refused before the target was opened: not even the schema was made there
    const made = await server.query(
      "SELECT to_regclass('public.audit') AS t",
      [],
      new URL(other.url).pathname.slice(1),
    );
    expect(made.rows[0].t).toBeNull();
  }, 120_000);

  it('never shows the password of a store URL: refused login and bad input name the URL without it', async () => {
    const ws = await storeWithHistory();
    const db = await newDatabase();
    const secret = 'Sup3r-s3cret-pw';
    const withPassword = db.url.replace('moko@', `moko:${secret}@`);
    const r = ws.run(['--store', withPassword, '--verbose', 'list']);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(db.url);
    expect(r.stderr).toMatch(/password authentication failed/);
    expect(r.stderr).not.toContain(secret);
    const bad = ws.run(['--store', `postgres://moko:${secret}@127.0.0.1:${server.port}/`, 'list']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('names no database');
    expect(bad.stderr).not.toContain(secret);
  }, 60_000);
});
