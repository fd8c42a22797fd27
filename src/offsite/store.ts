import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { blobKey, indexKey, type OffsiteIndex } from './copies.js';
import { openSealed, sealFile } from './seal.js';

/**
 * Off-server copies in the operator's store (`<store>/offsite/`, 0700): sealed blobs named by the plaintext's
 * sha256 and one index per backup. Every blob written is opened again and hashed: "checked there by sha256".
 */
export class OffsiteStore {
  readonly dir: string;

  constructor(
    home: string,
    private readonly key: Buffer,
  ) {
    this.dir = join(home, 'offsite');
  }

  blobPath(sha256: string): string {
    return join(this.dir, blobKey(sha256));
  }

  /** Seal a plaintext file into the store (once per content) and check it opens to the same sha256. */
  async putBlob(plain: string, sha256: string, scratch: string): Promise<string> {
    const path = this.blobPath(sha256);
    mkdirSync(join(this.dir, 'blobs'), { recursive: true, mode: 0o700 });
    if (!existsSync(path)) await sealFile(plain, path, sha256, this.key);
    const back = await openSealed(path, scratch, sha256, this.key).catch((e: Error) => {
      rmSync(path, { force: true });
      throw e;
    });
    rmSync(scratch, { force: true });
    if (back !== sha256) {
      rmSync(path, { force: true });
      throw new Error(`the store's copy opens to sha256 ${back}, not ${sha256}`);
    }
    return path;
  }

  /** Open a blob into `plain`; returns the sha256 of what came out (throws when the blob was altered). */
  openBlob(sha256: string, plain: string): Promise<string> {
    return openSealed(this.blobPath(sha256), plain, sha256, this.key);
  }

  writeIndex(index: OffsiteIndex): void {
    const path = join(this.dir, indexKey(index.client, index.stamp));
    mkdirSync(join(this.dir, 'backups', index.client), { recursive: true, mode: 0o700 });
    writeFileSync(`${path}.partial`, `${JSON.stringify(index, null, 2)}\n`, { mode: 0o600 });
    renameSync(`${path}.partial`, path);
  }

  readIndex(client: string, stamp: string): OffsiteIndex | undefined {
    const path = join(this.dir, indexKey(client, stamp));
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as OffsiteIndex) : undefined;
  }

  /** Every index of a client (every client when none is given), oldest first. */
  indexes(client?: string): OffsiteIndex[] {
    const root = join(this.dir, 'backups');
    if (!existsSync(root)) return [];
    const clients = client ? [client] : readdirSync(root);
    return clients
      .flatMap((c) =>
        existsSync(join(root, c))
          ? readdirSync(join(root, c))
              .filter((f) => /^\d{14}\.json$/.test(f))
              .map((f) => JSON.parse(readFileSync(join(root, c, f), 'utf8')) as OffsiteIndex)
          : [],
      )
      .sort((a, b) => a.stamp.localeCompare(b.stamp));
  }

  removeIndex(client: string, stamp: string): void {
    rmSync(join(this.dir, indexKey(client, stamp)), { force: true });
  }

  /** Remove every blob no index names any more (after retention). */
  collectBlobs(): string[] {
    const blobs = join(this.dir, 'blobs');
    if (!existsSync(blobs)) return [];
    const named = new Set(this.indexes().flatMap((i) => i.files.map((f) => `${f.sha256}.sealed`)));
    const gone = readdirSync(blobs).filter((f) => !named.has(f));
    for (const f of gone) rmSync(join(blobs, f), { force: true });
    return gone;
  }
}
