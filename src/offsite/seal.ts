import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * A backup file sealed at rest: `MOKOBK1\n` (8 bytes), a 12-byte IV, the AES-256-GCM ciphertext, its 16-byte tag.
 * The file's sha256 (its name in the store) is the additional data, so a blob cannot pass for another file.
 */
const magic = Buffer.from('MOKOBK1\n');
const headerBytes = magic.length + 12;
const tagBytes = 16;

export async function sealFile(plain: string, sealed: string, sha256: string, key: Buffer): Promise<void> {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(sha256));
  const partial = `${sealed}.partial`;
  const out = createWriteStream(partial, { mode: 0o600 });
  out.write(Buffer.concat([magic, iv]));
  await pipeline(createReadStream(plain), cipher, out, { end: false });
  await new Promise<void>((resolve, reject) =>
    out.end(cipher.getAuthTag(), (e?: Error | null) => (e ? reject(e) : resolve())),
  );
  await rename(partial, sealed);
}

/**
 * Decrypt a sealed blob into `plain` and return the plaintext's sha256; throws when the blob was altered (GCM tag)
 * or is not one. Nothing is left at `plain` on failure.
 */
export async function openSealed(
  sealed: string,
  plain: string,
  sha256: string,
  key: Buffer,
): Promise<string> {
  const size = (await stat(sealed)).size;
  if (size < headerBytes + tagBytes) throw new Error('not a sealed backup file (too short)');
  const head = Buffer.alloc(headerBytes + 0);
  const tag = Buffer.alloc(tagBytes);
  const fd = await open(sealed, 'r');
  try {
    await fd.read(head, 0, headerBytes, 0);
    await fd.read(tag, 0, tagBytes, size - tagBytes);
  } finally {
    await fd.close();
  }
  if (!head.subarray(0, magic.length).equals(magic)) throw new Error('not a sealed backup file (header)');
  const decipher = createDecipheriv('aes-256-gcm', key, head.subarray(magic.length));
  decipher.setAAD(Buffer.from(sha256));
  decipher.setAuthTag(tag);
  const hash = createHash('sha256');
  const tee = new Transform({
    transform(chunk: Buffer, _e, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(
      size === headerBytes + tagBytes
        ? Readable.from([])
        : createReadStream(sealed, { start: headerBytes, end: size - tagBytes - 1 }),
      decipher,
      tee,
      createWriteStream(plain, { mode: 0o600 }),
    );
  } catch (e) {
    await rm(plain, { force: true });
    throw new Error(`altered or sealed with another key (${(e as Error).message})`);
  }
  return hash.digest('hex');
}
