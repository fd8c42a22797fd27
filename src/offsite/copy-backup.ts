import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { targetError } from '../core/errors.js';
import type { Host } from '../hosts/host.js';
import { transfersOf } from '../hosts/transfer.js';
import { backupLayout } from '../backup/layout.js';
import { manifestEntries, type OffsiteIndex } from './copies.js';
import type { OffsiteBucket } from './bucket.js';
import type { OffsiteStore } from './store.js';
import { sealFile } from './seal.js';

export interface OffsiteTargets {
  store?: OffsiteStore;
  bucket?: OffsiteBucket;
  /** The sealing key (offsiteKey()): a bucket-only copy is sealed with it too, never sent in plaintext. */
  key: Buffer;
  /** Remove the backup directory from the target once every off-server copy is checked. */
  deleteTargetCopy?: boolean;
}

export interface BackupToCopy {
  host: Host;
  backupRoot: string;
  stamp: string;
  client: string;
  deployment: string;
  /** The manifest sha256 the backup run read back (and records): the copy must be that manifest. */
  manifestSha256: string;
  now: Date;
}

/**
 * Part of every backup run (issue 23 "Off-server copies"): each file of the backup, SHA256SUMS included, pulled
 * over the target's connection (root's files through sudo), each checked against the manifest's sha256 as it
 * lands, sealed into the store and/or put in the bucket, each copy checked there by sha256; then the index;
 * then, when asked, the target's own copy removed. Nothing is deleted unless every copy was checked.
 */
export async function copyBackupOffsite(b: BackupToCopy, to: OffsiteTargets): Promise<OffsiteIndex> {
  if (!to.store && !to.bucket) throw new Error('bug: no off-server copy asked for');
  const layout = backupLayout(b.backupRoot, b.stamp);
  const { download } = transfersOf(b.host);
  const scratch = mkdtempSync(join(tmpdir(), 'moko-offsite-'));
  try {
    const sumsPath = join(scratch, 'SHA256SUMS');
    await download(layout.sums, sumsPath, { sudo: true, expectedSha256: b.manifestSha256 });
    const listed = (() => {
      try {
        return manifestEntries(readFileSync(sumsPath, 'utf8'));
      } catch (e) {
        throw targetError(`backup ${b.stamp} on ${b.host.name}: ${(e as Error).message}`, {
          where: layout.sums,
        });
      }
    })();
    const files = [...listed, { name: 'SHA256SUMS', sha256: b.manifestSha256 }];
    const copied: OffsiteIndex['files'] = [];
    for (const f of files) {
      const plain = join(scratch, f.sha256);
      const got = await download(posix.join(layout.dir, f.name), plain, {
        sudo: true,
        expectedSha256: f.sha256,
      });
      const sealed = to.store
        ? await to.store.putBlob(plain, f.sha256, join(scratch, 'check'))
        : await sealFile(plain, join(scratch, `${f.sha256}.sealed`), f.sha256, to.key).then(() =>
            join(scratch, `${f.sha256}.sealed`),
          );
      if (to.bucket) await to.bucket.putBlob(sealed, f.sha256);
      rmSync(plain, { force: true });
      copied.push({ name: f.name, sha256: f.sha256, bytes: got.bytes });
    }
    const index: OffsiteIndex = {
      format: 'mokodeploy-offsite/1',
      client: b.client,
      deployment: b.deployment,
      stamp: b.stamp,
      manifestSha256: b.manifestSha256,
      files: copied,
      copiedAt: b.now.toISOString(),
      target: { host: b.host.name, dir: layout.dir, deleted: false },
      ...(to.store ? { store: { dir: to.store.dir } } : {}),
      ...(to.bucket ? { s3: { ...to.bucket.location } } : {}),
    };
    if (to.deleteTargetCopy) {
      const r = await b.host.run({ argv: ['rm', '-rf', '--', layout.dir], sudo: true });
      if (r.code !== 0)
        throw targetError(`cannot remove ${layout.dir} on ${b.host.name}: ${r.stderr.trim()}`, {
          where: b.host.name,
        });
      index.target.deleted = true;
    }
    to.store?.writeIndex(index);
    await to.bucket?.writeIndex(index);
    return index;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
