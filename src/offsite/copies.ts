import { posix } from 'node:path';

/**
 * One backup's off-server record (issue 23): which files it holds (its manifest's lines), the manifest's own sha256,
 * and where each copy is. The store keeps it as `<store>/offsite/backups/<client>/<stamp>.json`, a bucket as
 * `<prefix>/backups/<client>/<stamp>.json`; the files themselves are sealed blobs named by their sha256
 * (content-addressed: a file that did not change between two backups is kept once).
 */
export interface OffsiteIndex {
  format: 'mokodeploy-offsite/1';
  client: string;
  deployment: string;
  stamp: string;
  manifestSha256: string;
  /** Every file of the backup with its sha256 from the manifest; SHA256SUMS itself last. */
  files: { name: string; sha256: string; bytes: number }[];
  copiedAt: string;
  /** Where the backup was taken, and whether that copy was deleted after the off-server copies were checked. */
  target: { host: string; dir: string; deleted: boolean };
  store?: { dir: string };
  s3?: { endpoint?: string; bucket: string; prefix: string };
}

/** A bucket the copies go to: credentials come from the SDK's own chain (AWS_ACCESS_KEY_ID... or its files), never argv. */
export interface S3Location {
  bucket: string;
  prefix: string;
  endpoint?: string;
  region?: string;
}

export const indexKey = (client: string, stamp: string) => posix.join('backups', client, `${stamp}.json`);
export const blobKey = (sha256: string) => posix.join('blobs', `${sha256}.sealed`);

/** The S3 location from MOKODEPLOY_S3_BUCKET / _PREFIX / _ENDPOINT / _REGION, when a bucket is named. */
export function s3FromEnv(env: NodeJS.ProcessEnv = process.env): S3Location | undefined {
  if (!env.MOKODEPLOY_S3_BUCKET) return undefined;
  return {
    bucket: env.MOKODEPLOY_S3_BUCKET,
    prefix: env.MOKODEPLOY_S3_PREFIX ?? 'mokodeploy',
    endpoint: env.MOKODEPLOY_S3_ENDPOINT || undefined,
    region: env.MOKODEPLOY_S3_REGION || undefined,
  };
}

/**
 * The manifest's lines: `<sha256>  <name>` (sha256sum's text mode). A line that is not one, or a name leaving the
 * backup directory, throws: a manifest names the files copied and the blobs opened, and must not point elsewhere.
 */
export function manifestEntries(sums: string): { name: string; sha256: string }[] {
  return sums
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(l);
      const name = m?.[2] ?? '';
      if (!m || name.startsWith('/') || name.split('/').includes('..'))
        throw new Error(
          `manifest SHA256SUMS line ${i + 1} is not "<sha256>  <file in the backup>": ${l.slice(0, 120)}`,
        );
      return { sha256: m[1]!, name };
    });
}
