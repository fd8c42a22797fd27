import { createHash } from 'node:crypto';
import type { PutObjectCommandInput, S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { sha256Hex } from '../core/canonical.js';
import { checkedContent, evidenceNotFound, isSha256, type EvidenceFiles } from './files.js';
import { bucketError, isMissing } from './s3-errors.js';
import type { S3EvidenceLocation } from './location.js';

/**
 * Evidence files in an S3-compatible bucket, key `<prefix>/<sha256>`. Credentials come from the environment or
 * AWS's standard chain only (never the URL, argv or the store). A put carries Content-MD5 and x-amz-checksum-sha256,
 * so the bucket refuses bytes damaged on the way; a get is hashed here, so a changed object is never served.
 */
export class S3EvidenceFiles implements EvidenceFiles {
  readonly #config: S3ClientConfig;
  #client?: Promise<{ s3: S3Client; sdk: typeof import('@aws-sdk/client-s3') }>;
  readonly location: string;

  constructor(
    readonly where: S3EvidenceLocation,
    credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  ) {
    // the SDK's notice that its 2027 releases need Node 22 would print on every command (the CLI runs on 20 too)
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    this.location = `s3://${where.bucket}/${where.prefix}${where.endpoint ? ` (${where.endpoint})` : ''}`;
    this.#config = {
      region: where.region,
      ...(credentials ? { credentials } : {}), // else the SDK's standard chain (profile, SSO, instance role …)
      ...(where.endpoint ? { endpoint: where.endpoint, forcePathStyle: true } : {}),
      // our own checksums below; not every S3-compatible server takes the SDK's streamed (aws-chunked) ones
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
    };
  }

  /** The SDK is loaded on first use: importing it costs every command ~0.2 s of CPU at startup. */
  #sdk() {
    this.#client ??= import('@aws-sdk/client-s3').then((sdk) => ({ s3: new sdk.S3Client(this.#config), sdk }));
    return this.#client;
  }

  #key(sha256: string): string {
    return evidenceKey(this.where, sha256);
  }

  async #send<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      throw bucketError(e, what, this.location);
    }
  }

  async put(content: Buffer): Promise<string> {
    const sha256 = sha256Hex(content);
    // a single-part object's ETag is its MD5: the same bytes are not sent again, a changed object is replaced
    if (
      (await this.#etag(sha256, `storing evidence file ${sha256}`)) ===
      createHash('md5').update(content).digest('hex')
    )
      return sha256;
    const { s3, sdk } = await this.#sdk();
    await this.#send(`storing evidence file ${sha256}`, () =>
      s3.send(new sdk.PutObjectCommand(putObjectInput(this.where, content))),
    );
    return sha256;
  }

  async #etag(sha256: string, what = `looking up evidence file ${sha256}`): Promise<string | undefined> {
    const { s3, sdk } = await this.#sdk();
    try {
      const head = await s3.send(
        new sdk.HeadObjectCommand({ Bucket: this.where.bucket, Key: this.#key(sha256) }),
      );
      return head.ETag?.replace(/"/g, '');
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw bucketError(e, what, this.location);
    }
  }

  async get(sha256: string): Promise<Buffer> {
    if (!isSha256(sha256)) throw evidenceNotFound(sha256, this.location);
    let body: Uint8Array;
    const { s3, sdk } = await this.#sdk();
    try {
      const got = await s3.send(
        new sdk.GetObjectCommand({ Bucket: this.where.bucket, Key: this.#key(sha256) }),
      );
      body = await got.Body!.transformToByteArray();
    } catch (e) {
      if (isMissing(e)) throw evidenceNotFound(sha256, this.location);
      throw bucketError(e, `reading evidence file ${sha256}`, this.location);
    }
    return checkedContent(sha256, Buffer.from(body), this.location);
  }

  async has(sha256: string): Promise<boolean> {
    return isSha256(sha256) && (await this.#etag(sha256)) !== undefined;
  }

  async list(): Promise<string[]> {
    const start = this.where.prefix ? `${this.where.prefix}/` : '';
    const found: string[] = [];
    let token: string | undefined;
    const { s3, sdk } = await this.#sdk();
    do {
      const page = await this.#send('listing evidence files', () =>
        s3.send(
          new sdk.ListObjectsV2Command({ Bucket: this.where.bucket, Prefix: start, ContinuationToken: token }),
        ),
      );
      for (const o of page.Contents ?? []) {
        const rest = (o.Key ?? '').slice(start.length);
        if (isSha256(rest)) found.push(rest);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return found.sort();
  }

  close(): void {
    void this.#client?.then(({ s3 }) => s3.destroy());
  }
}

export const evidenceKey = (where: S3EvidenceLocation, sha256: string): string =>
  where.prefix ? `${where.prefix}/${sha256}` : sha256;

/** The PUT of one evidence file, as data: both checksums let the bucket refuse bytes changed on the way. */
export function putObjectInput(where: S3EvidenceLocation, content: Buffer): PutObjectCommandInput {
  const sha256 = sha256Hex(content);
  return {
    Bucket: where.bucket,
    Key: evidenceKey(where, sha256),
    Body: content,
    ContentLength: content.length,
    ContentType: 'application/octet-stream',
    ContentMD5: createHash('md5').update(content).digest('base64'),
    ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
  };
}
