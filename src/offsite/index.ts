import type { OffsiteBucket } from './bucket.js';
import { s3FromEnv, type S3Location } from './copies.js';
import { offsiteKey } from './key.js';
import { OffsiteStore } from './store.js';

/**
 * Where a client's off-server backup copies go and come from (issue 23): the operator's store (`<store>/offsite/`,
 * sealed with a key derived from the store's key) and/or an S3-compatible bucket (MOKODEPLOY_S3_BUCKET, _ENDPOINT,
 * _PREFIX, _REGION; credentials from the SDK's own chain). `close()` ends the bucket's client.
 */
export async function openOffsite(
  home: string,
  options: { store?: boolean; s3?: S3Location | false; keyFile?: string } = {},
): Promise<Offsite> {
  const key = offsiteKey(options.keyFile);
  const s3 = options.s3 === false ? undefined : (options.s3 ?? s3FromEnv());
  const store = options.store === false ? undefined : new OffsiteStore(home, key);
  // the AWS SDK is loaded only when a bucket is configured (it is large, and warns on stderr on Node 20)
  const bucket: OffsiteBucket | undefined = s3
    ? new (await import('./bucket.js')).OffsiteBucket(s3)
    : undefined;
  return { key, store, bucket, close: () => bucket?.close() };
}

export interface Offsite {
  key: Buffer;
  store?: OffsiteStore;
  bucket?: OffsiteBucket;
  close(): void;
}
export { copyBackupOffsite } from './copy-backup.js';
export { applyOffsiteRetention } from './retention.js';
export { findOffsiteBackup, openOffsiteBackup, shipBackup } from './fetch-backup.js';
export type { OffsiteIndex, S3Location } from './copies.js';
