import type { OffsiteBucket } from './bucket.js';
import type { OffsiteStore } from './store.js';

/**
 * Retention on every copy (issue 23): the newest `keep` backups of the client in the store and in the bucket, as
 * backup:retention keeps on the target; blobs no remaining backup names are removed. Returns the stamps removed.
 */
export async function applyOffsiteRetention(
  client: string,
  keep: number,
  to: { store?: OffsiteStore; bucket?: OffsiteBucket },
): Promise<{ store: string[]; bucket: string[] }> {
  const n = Math.max(1, keep);
  const store = to.store
    ? to.store
        .indexes(client)
        .map((i) => i.stamp)
        .slice(0, -n)
    : [];
  for (const stamp of store) to.store!.removeIndex(client, stamp);
  if (store.length > 0) to.store!.collectBlobs();
  const bucket = to.bucket ? (await to.bucket.stamps(client)).slice(0, -n) : [];
  for (const stamp of bucket) await to.bucket!.removeIndex(client, stamp);
  if (bucket.length > 0) await to.bucket!.collectBlobs();
  return { store, bucket };
}
