import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { blobKey, indexKey, type OffsiteIndex, type S3Location } from './copies.js';
import { sha256OfFile } from '../hosts/transfer.js';

/**
 * Off-server copies in an S3-compatible bucket (@aws-sdk/client-s3): the same sealed blobs as the store (never
 * plaintext) and the same indexes, under the location's prefix. Every object put is read back and hashed.
 */
export class OffsiteBucket {
  readonly #s3: S3Client;

  constructor(readonly location: S3Location) {
    this.#s3 = new S3Client({
      region: location.region ?? 'us-east-1',
      // the copy is checked by reading it back; S3-compatible servers do not all take the SDK's streamed checksums
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      ...(location.endpoint ? { endpoint: location.endpoint, forcePathStyle: true } : {}),
    });
  }

  #key(rest: string): string {
    return posix.join(this.location.prefix, rest);
  }

  async #sha256Of(key: string): Promise<string> {
    const got = await this.#s3.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: key }));
    const hash = createHash('sha256');
    await pipeline(got.Body as Readable, hash);
    return hash.digest('hex');
  }

  /** Put a sealed blob (once per content) and check the bucket holds the same bytes (sha256 of what it returns). */
  async putBlob(sealedPath: string, sha256: string): Promise<void> {
    const key = this.#key(blobKey(sha256));
    const want = await sha256OfFile(sealedPath);
    if ((await this.#sha256Of(key).catch(() => undefined)) === want) return;
    await this.#s3.send(
      new PutObjectCommand({
        Bucket: this.location.bucket,
        Key: key,
        Body: createReadStream(sealedPath),
        ContentLength: (await stat(sealedPath)).size,
      }),
    );
    const there = await this.#sha256Of(key);
    if (there !== want) throw new Error(`the bucket's copy of ${sha256} hashes to ${there}, not ${want}`);
  }

  async getBlob(sha256: string, sealedPath: string): Promise<void> {
    const got = await this.#s3.send(
      new GetObjectCommand({ Bucket: this.location.bucket, Key: this.#key(blobKey(sha256)) }),
    );
    await pipeline(got.Body as Readable, createWriteStream(sealedPath, { mode: 0o600 }));
  }

  async writeIndex(index: OffsiteIndex): Promise<void> {
    await this.#s3.send(
      new PutObjectCommand({
        Bucket: this.location.bucket,
        Key: this.#key(indexKey(index.client, index.stamp)),
        Body: `${JSON.stringify(index, null, 2)}\n`,
        ContentType: 'application/json',
      }),
    );
  }

  async readIndex(client: string, stamp: string): Promise<OffsiteIndex | undefined> {
    try {
      const got = await this.#s3.send(
        new GetObjectCommand({ Bucket: this.location.bucket, Key: this.#key(indexKey(client, stamp)) }),
      );
      return JSON.parse(await got.Body!.transformToString()) as OffsiteIndex;
    } catch (e) {
      if ((e as { name?: string }).name === 'NoSuchKey') return undefined;
      throw e;
    }
  }

  async #keys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.#s3.send(
        new ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      keys.push(...(page.Contents ?? []).map((c) => c.Key!).filter(Boolean));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  /** The stamps of a client's backups in the bucket, oldest first. */
  async stamps(client: string): Promise<string[]> {
    const keys = await this.#keys(this.#key(posix.join('backups', client, '')));
    return keys
      .map((k) => /(\d{14})\.json$/.exec(k)?.[1])
      .filter((s): s is string => s !== undefined)
      .sort();
  }

  async removeIndex(client: string, stamp: string): Promise<void> {
    await this.#s3.send(
      new DeleteObjectCommand({ Bucket: this.location.bucket, Key: this.#key(indexKey(client, stamp)) }),
    );
  }

  /** Remove every blob no index in the bucket names (after retention). */
  async collectBlobs(): Promise<number> {
    const named = new Set<string>();
    for (const k of await this.#keys(this.#key('backups/'))) {
      const [client, file] = k.split('/').slice(-2);
      const index = await this.readIndex(client!, file!.replace(/\.json$/, ''));
      for (const f of index?.files ?? []) named.add(this.#key(blobKey(f.sha256)));
    }
    const gone = (await this.#keys(this.#key('blobs/'))).filter((k) => !named.has(k));
    for (const k of gone)
      await this.#s3.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key: k }));
    return gone.length;
  }

  close(): void {
    this.#s3.destroy();
  }
}
