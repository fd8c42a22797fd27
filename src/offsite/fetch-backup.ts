import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { refused } from '../core/errors.js';
import type { Host } from '../hosts/host.js';
import { transfersOf } from '../hosts/transfer.js';
import { backupLayout, manifestFiles } from '../backup/layout.js';
import { manifestEntries, type OffsiteIndex } from './copies.js';
import type { OffsiteBucket } from './bucket.js';
import type { OffsiteStore } from './store.js';
import { openSealed } from './seal.js';

export interface OffsiteSource {
  store?: OffsiteStore;
  bucket?: OffsiteBucket;
  key: Buffer;
}

export interface FoundCopy {
  index: OffsiteIndex;
  from: 'store' | 'bucket';
}

/** The client's backup `stamp` (or its newest) in the operator's store, else in the bucket. */
export async function findOffsiteBackup(
  source: OffsiteSource,
  client: string,
  stamp?: string,
): Promise<FoundCopy | undefined> {
  const inStore = stamp ? source.store?.readIndex(client, stamp) : source.store?.indexes(client).at(-1);
  if (inStore) return { index: inStore, from: 'store' };
  if (!source.bucket) return undefined;
  const s = stamp ?? (await source.bucket.stamps(client)).at(-1);
  const inBucket = s ? await source.bucket.readIndex(client, s) : undefined;
  return inBucket ? { index: inBucket, from: 'bucket' } : undefined;
}

const where = (c: FoundCopy) =>
  c.from === 'store'
    ? `the operator's store (${c.index.store?.dir ?? 'offsite/'})`
    : `bucket ${c.index.s3?.bucket}`;

/** The copy's place, for the error's location: the store directory or the bucket's URL. */
const placeOf = (c: FoundCopy) =>
  c.from === 'store'
    ? (c.index.store?.dir ?? 'offsite/')
    : `s3://${c.index.s3?.bucket}/${c.index.s3?.prefix}`;

/** Open one sealed file of the copy into `plain`; the sha256 of what came out, or why it could not be opened. */
async function openOne(
  source: OffsiteSource,
  copy: FoundCopy,
  sha256: string,
  plain: string,
): Promise<string> {
  mkdirSync(dirname(plain), { recursive: true, mode: 0o700 });
  if (copy.from === 'store') return source.store!.openBlob(sha256, plain);
  const sealed = `${plain}.sealed`;
  try {
    await source.bucket!.getBlob(sha256, sealed);
    return await openSealed(sealed, plain, sha256, source.key);
  } finally {
    rmSync(sealed, { force: true });
  }
}

/**
 * Check before change (issue 23), on the off-server copy before anything reaches the new target: the manifest
 * (SHA256SUMS) opened and equal to the sha256 recorded when the backup was taken, every backup file listed in it,
 * every file opened (an altered blob fails its GCM tag) and equal to its manifest line. The files land in `dir` as the
 * backup directory holds them. Refused naming each file and the manifest.
 */
export async function openOffsiteBackup(
  source: OffsiteSource,
  copy: FoundCopy,
  recorded: readonly string[],
  dir: string,
): Promise<void> {
  const { stamp, manifestSha256 } = copy.index;
  const fix = `take a new backup; or restore the copy in ${where(copy)} from another copy of backup ${stamp}`;
  if (recorded.length > 0 && !recorded.includes(manifestSha256))
    throw refused(
      `backup ${stamp}: its manifest SHA256SUMS in ${where(copy)} (sha256 ${manifestSha256}) differs from the one recorded when the backup was taken (${recorded.join(', ')})`,
      { where: placeOf(copy), fix },
    );
  const sums = join(dir, 'SHA256SUMS');
  const opened = await openOne(source, copy, manifestSha256, sums).catch((e: Error) => {
    throw refused(
      `backup ${stamp}: its manifest SHA256SUMS in ${where(copy)} cannot be trusted: ${e.message}`,
      {
        where: placeOf(copy),
        fix,
      },
    );
  });
  if (opened !== manifestSha256)
    throw refused(`backup ${stamp}: its manifest SHA256SUMS in ${where(copy)} opens to sha256 ${opened}`, {
      where: placeOf(copy),
      fix,
    });
  let entries: ReturnType<typeof manifestEntries>;
  try {
    entries = manifestEntries(readFileSync(sums, 'utf8'));
  } catch (e) {
    throw refused(`backup ${stamp}: ${(e as Error).message}`, { where: placeOf(copy), fix });
  }
  const unlisted = manifestFiles.filter((f) => !entries.some((e) => e.name === f));
  if (unlisted.length > 0)
    throw refused(`backup ${stamp}: ${unlisted.join(', ')} not listed in its manifest SHA256SUMS`, { fix });
  const problems: string[] = [];
  for (const e of entries) {
    const got = await openOne(source, copy, e.sha256, join(dir, e.name)).catch((x: Error) => x);
    if (got instanceof Error) problems.push(`${e.name} (${got.message})`);
    else if (got !== e.sha256) problems.push(`${e.name} (sha256 ${got})`);
  }
  if (problems.length > 0)
    throw refused(
      `backup ${stamp} in ${where(copy)} differs from its manifest SHA256SUMS: ${problems.join(', ')}`,
      { where: placeOf(copy), fix },
    );
}

/**
 * The checked files shipped to the new target as the backup directory the restore steps read
 * (<backupRoot>/<stamp>/, root's, 0600), each upload checked by sha256 on arrival, SHA256SUMS last.
 */
export async function shipBackup(
  host: Host,
  backupRoot: string,
  index: OffsiteIndex,
  dir: string,
  onFile?: (name: string, bytes: number) => void,
): Promise<void> {
  const { upload } = transfersOf(host);
  const layout = backupLayout(backupRoot, index.stamp);
  const names = [
    ...manifestEntries(readFileSync(join(dir, 'SHA256SUMS'), 'utf8')).map((e) => e.name),
    'SHA256SUMS',
  ];
  for (const name of names) {
    const r = await upload(join(dir, name), posix.join(layout.dir, name), { sudo: true, mode: 0o600 });
    onFile?.(name, r.bytes);
  }
  await host.run({ argv: ['chmod', '700', '--', layout.root, layout.dir], sudo: true });
}
