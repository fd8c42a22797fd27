import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { basename } from 'node:path';

/** A real Dolibarr tarball for the demo (DEMO_RELEASE): its version from the file name, its sha256. */
export async function readRelease(
  tarball: string,
): Promise<{ tarball: string; version: string; sha256: string }> {
  const version = /^dolibarr-(\d+\.\d+\.\d+)\.tgz$/.exec(basename(tarball))?.[1];
  if (!existsSync(tarball)) throw new Error(`DEMO_RELEASE=${tarball}: no such file`);
  if (!version)
    throw new Error(
      `DEMO_RELEASE=${tarball}: cannot tell the version from the name (expected dolibarr-X.Y.Z.tgz)`,
    );
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(tarball)) hash.update(chunk as Buffer);
  return { tarball, version, sha256: hash.digest('hex') };
}
