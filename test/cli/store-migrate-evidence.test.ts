import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEvidenceFiles } from '../../src/evidence/open.js';
import type { Workspace } from '../helpers/cli.js';
import { notifyTeamYaml, readyRecord, seededWorkspace } from '../helpers/notify/seed.js';
import { startPostgres, type Postgres } from '../helpers/services/postgres.js';
import { startS3, type S3Server } from '../helpers/services/s3.js';

/**
 * Issue 20: `store migrate` moves the evidence files with the store: from the home's directory into an S3 bucket
 * (--evidence-to), every sha256 checked on both sides before any row is written, `audit verify` passing on the new
 * store; and back from the bucket into a directory. A file changed at the source stops the move: nothing copied.
 */
const id = 'acme-2026-12';
let pg: Postgres;
let s3: S3Server;
beforeAll(async () => {
  [pg, s3] = await Promise.all([startPostgres(), startS3()]);
}, 120_000);
afterAll(async () => {
  await Promise.all([pg?.stop(), s3?.stop()]);
});

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

async function newDatabase() {
  const url = new URL(await pg.createDatabase());
  const password = url.password;
  url.password = '';
  return { url: url.toString(), env: { PGPASSWORD: password } };
}

/** A SQLite store whose record names two evidence files, kept in <home>/evidence as always. */
async function storeWithFiles(): Promise<{ ws: Workspace; files: string[] }> {
  const ws = await seededWorkspace(
    readyRecord(new Date('2026-12-03T08:00:00Z')),
    notifyTeamYaml(1),
    '2026-12-03T08:00:00Z',
  );
  writeFileSync(join(ws.dir, 'smoke.txt'), 'smoke test passed\n');
  writeFileSync(join(ws.dir, 'scan.bin'), Buffer.from([0, 1, 2, 255, 13, 10]));
  const r = ws.run([
    'tick',
    id,
    'requirements-documented',
    '--as',
    'tina',
    '--file',
    'smoke.txt',
    '--file',
    'scan.bin',
  ]);
  expect(r.code, r.stderr).toBe(0);
  return { ws, files: [sha('smoke test passed\n'), sha(Buffer.from([0, 1, 2, 255, 13, 10]))].sort() };
}

describe('store migrate with the evidence files', () => {
  it('directory -> bucket with the store into PostgreSQL: every sha256 kept, audit verify passes; and back', async () => {
    const { ws, files } = await storeWithFiles();
    const evidenceDir = join(ws.env.MOKODEPLOY_HOME!, 'evidence');
    expect(readdirSync(evidenceDir).sort()).toEqual(files);
    const db = await newDatabase();
    const bucket = s3.url('migrated');
    const r = ws.run(
      [
        '--json',
        'store',
        'migrate',
        '--from',
        `sqlite:${ws.storePath}`,
        '--to',
        db.url,
        '--evidence-to',
        bucket,
      ],
      { ...db.env, ...s3.env },
    );
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({
      deployments: 1,
      evidenceMissing: [],
      evidence: { copied: 2, checked: 2 },
    });
    expect(result.evidenceDir).toContain(`s3://${s3.bucket}/migrated`);
    const inBucket = openEvidenceFiles(bucket, { home: '/x', where: 'test', env: s3.env });
    expect(await inBucket.list()).toEqual(files);
    for (const f of files) expect(sha(await inBucket.get(f))).toBe(f);

    // the new store and the bucket, together: the trail verifies, the record names the files the bucket holds
    const onPg = { ...db.env, ...s3.env, MOKODEPLOY_STORE: db.url, MOKODEPLOY_EVIDENCE: bucket };
    const verify = ws.run(['audit', 'verify'], onPg);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/audit trail intact/);
    const shown = JSON.parse(ws.run(['--json', 'show', id], onPg).stdout);
    const named = shown.checklist['requirements-documented'].evidence.map(
      (e: { sha256?: string }) => e.sha256,
    );
    expect(named.filter(Boolean).sort()).toEqual(files);

    // and back: the bucket's files into a directory of another machine (evidence only: no --from/--to)
    const back = join(ws.dir, 'evidence-back');
    const again = ws.run(['--json', 'store', 'migrate', '--evidence-to', back], onPg);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).evidence).toMatchObject({ copied: 2, checked: 2 });
    expect(readdirSync(back).sort()).toEqual(files);
    for (const f of files) expect(readFileSync(join(back, f))).toEqual(readFileSync(join(evidenceDir, f)));
    inBucket.close();
  }, 180_000);

  it('a file changed at the source stops the move with its sha256: the new store stays empty', async () => {
    const { ws, files } = await storeWithFiles();
    writeFileSync(join(ws.env.MOKODEPLOY_HOME!, 'evidence', files[0]!), 'changed after it was recorded\n');
    const db = await newDatabase();
    const r = ws.run(
      [
        'store',
        'migrate',
        '--from',
        `sqlite:${ws.storePath}`,
        '--to',
        db.url,
        '--evidence-to',
        s3.url('refused'),
      ],
      { ...db.env, ...s3.env },
    );
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`evidence file ${files[0]}`);
    expect(r.stderr).toContain('was changed');
    const rows = await pg.query(
      'SELECT count(*)::int AS n FROM deployments',
      [],
      new URL(db.url).pathname.slice(1),
    );
    expect(rows.rows[0].n).toBe(0);
    expect(r.stderr + r.stdout).not.toContain(s3.env.AWS_SECRET_ACCESS_KEY);
  }, 180_000);
});
