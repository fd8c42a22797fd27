import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MokoError } from '../../src/core/errors.js';
import { DirEvidenceFiles } from '../../src/evidence/dir.js';
import type { EvidenceFiles } from '../../src/evidence/files.js';
import { openEvidenceFiles } from '../../src/evidence/open.js';
import { startS3, type S3Server } from '../helpers/services/s3.js';

/**
 * Issue 20: one contract for both evidence locations: the directory (`<home>/evidence/<sha256>`, as always) and an
 * S3-compatible bucket (s3rver on loopback, keys `<prefix>/<sha256>`). The same tests run against both.
 */
let s3: S3Server;
beforeAll(async () => {
  s3 = await startS3();
}, 60_000);
afterAll(() => s3?.stop());

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

interface Backend {
  name: string;
  open(): {
    files: EvidenceFiles;
    tamper(sha256: string, content: string): Promise<void>;
    foreign(): Promise<void>;
  };
}

const backends: Backend[] = [
  {
    name: 'directory',
    open() {
      const dir = join(mkdtempSync(join(tmpdir(), 'moko-evidence-')), 'evidence');
      return {
        files: new DirEvidenceFiles(dir),
        tamper: async (sha256, content) => writeFileSync(join(dir, sha256), content),
        foreign: async () => {
          writeFileSync(join(dir, `${'a'.repeat(64)}.123.tmp`), 'half written');
          writeFileSync(join(dir, 'README'), 'not evidence');
        },
      };
    },
  },
  {
    name: 's3',
    open() {
      const prefix = `team/${randomBytes(4).toString('hex')}`;
      return {
        files: openEvidenceFiles(s3.url(prefix), { home: '/nonexistent', where: 'test', env: s3.env }),
        tamper: (sha256, content) => s3.putObject(`${prefix}/${sha256}`, content),
        foreign: async () => {
          await s3.putObject(`${prefix}/README`, 'not evidence');
          await s3.putObject(`${prefix}-other/${'b'.repeat(64)}`, 'another prefix');
        },
      };
    },
  },
];

async function failure(p: Promise<unknown>): Promise<MokoError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(MokoError);
  return e as MokoError;
}

describe.each(backends)('evidence files: $name', (backend) => {
  it('puts bytes under their sha256 and gives the same bytes back', async () => {
    const { files } = backend.open();
    const content = Buffer.concat([randomBytes(1000), Buffer.from('\0\r\n end')]);
    const got = await files.put(content);
    expect(got).toBe(sha(content));
    expect(await files.has(got)).toBe(true);
    expect(Buffer.compare(await files.get(got), content)).toBe(0);
    expect(await files.put(content)).toBe(got); // content-addressed: once
    expect(await files.list()).toEqual([got]);
  });

  it('lists every file, sorted, and nothing that is not a sha256 under its own place', async () => {
    const { files, foreign } = backend.open();
    expect(await files.list()).toEqual([]);
    const shas = await Promise.all(['one', 'two', 'three'].map((t) => files.put(Buffer.from(t))));
    await foreign();
    expect(await files.list()).toEqual([...shas].sort());
  });

  it('a missing file is not-found, naming its sha256', async () => {
    const { files } = backend.open();
    const missing = sha('never stored');
    expect(await files.has(missing)).toBe(false);
    const e = await failure(files.get(missing));
    expect(e.kind).toBe('not-found');
    expect(e.message).toContain(missing);
    expect((await failure(files.get('../../etc/passwd'))).kind).toBe('not-found');
    expect(await files.has('../../etc/passwd')).toBe(false);
  });

  it('a changed file is refused with its sha256, never served; putting the original again repairs it', async () => {
    const { files, tamper } = backend.open();
    const content = Buffer.from('signed client sign-off\n');
    const id = await files.put(content);
    await tamper(id, 'forged sign-off\n');
    const e = await failure(files.get(id));
    expect(e.kind).toBe('refused');
    expect(e.message).toContain(`evidence file ${id}`);
    expect(e.message).toContain('was changed');
    expect(e.message).not.toContain('forged');
    await files.put(content);
    expect((await files.get(id)).toString()).toBe('signed client sign-off\n');
  });
});

describe('evidence files: the directory keeps today’s layout', () => {
  it('<dir>/<sha256>, 0600 files, no temp file left', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'moko-evidence-')), 'evidence');
    const id = await new DirEvidenceFiles(dir).put(Buffer.from('x'));
    expect(readdirSync(dir)).toEqual([id]);
  });
});

describe('evidence files in S3: a bucket that is down or refuses us', () => {
  it('says which bucket did not answer and what to check; nothing else', async () => {
    const { freePort } = await import('../helpers/services/process.js');
    const closed = `s3://${s3.bucket}/p?endpoint=http://127.0.0.1:${await freePort()}`;
    const files = openEvidenceFiles(closed, { home: '/x', where: 'test', env: s3.env });
    const e = await failure(files.put(Buffer.from('x')));
    expect(e.kind).toBe('target');
    expect(e.message).toMatch(/the evidence bucket did not answer/);
    expect(e.where).toContain(`s3://${s3.bucket}/p`);
    expect(e.fix).toMatch(/endpoint and region/);
    expect((await failure(files.get(sha('x')))).kind).toBe('target'); // down is not "missing"
    files.close();
  });

  // s3rver checks the key id, not SigV4 signatures (MinIO and AWS check both)
  it('an unknown access key is refused by the bucket; no key shows in the error', async () => {
    const env = { ...s3.env, AWS_ACCESS_KEY_ID: `${s3.env.AWS_ACCESS_KEY_ID}X` };
    const files = openEvidenceFiles(s3.url('p'), { home: '/x', where: 'test', env });
    const e = await failure(files.put(Buffer.from('x')));
    expect(e.kind).toBe('target');
    expect(e.message).toMatch(/the evidence bucket refused our credentials \((HTTP 403|InvalidAccessKeyId)/);
    expect(e.fix).toMatch(/AWS_ACCESS_KEY_ID/);
    const text = JSON.stringify({ m: e.message, d: e.describe(), s: e.stack });
    expect(text).not.toContain(s3.env.AWS_SECRET_ACCESS_KEY);
    expect(text).not.toContain(s3.env.AWS_ACCESS_KEY_ID); // a prefix of the wrong one too
    files.close();
  });
});
