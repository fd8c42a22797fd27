import { copyFileSync, existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../core/errors.js';
import { hashFile } from './tree.js';

/**
 * Where a plan's release, module or data file comes from (issue 22): a path on the operator's machine, or an
 * http(s) URL downloaded once through the operator's network into `<store>/downloads/<sha256>` — a URL must
 * carry its sha256 in the plan, and a download whose sha256 differs is refused and not kept.
 */
export interface Origin {
  /** What the plan names: the path or URL. */
  from: string;
  /** The local file or directory the package copies. */
  local: string;
}

export const isUrl = (ref: string) => /^https?:\/\//i.test(ref);

export async function resolveOrigin(
  ref: string,
  expectedSha256: string | undefined,
  downloads: string,
  field: string,
): Promise<Origin> {
  if (!isUrl(ref)) {
    if (!existsSync(ref))
      throw inputError(`${field}: ${ref} does not exist on this machine`, {
        fix: 'name a file (or module directory) on the machine that builds the package, or an https URL with its sha256',
      });
    return { from: ref, local: ref };
  }
  if (!expectedSha256)
    throw inputError(`${field}: ${ref} is a URL without a sha256`, {
      fix: 'add the sha256 of the file the URL serves beside it in the plan, so a changed download is refused',
    });
  mkdirSync(downloads, { recursive: true, mode: 0o700 });
  const kept = join(downloads, expectedSha256);
  if (existsSync(kept) && (await hashFile(kept)) === expectedSha256) return { from: ref, local: kept };
  const response = await fetch(ref, { redirect: 'follow' });
  if (!response.ok) throw inputError(`${field}: ${ref} answered HTTP ${response.status}`);
  const partial = `${kept}.partial`;
  writeFileSync(partial, Buffer.from(await response.arrayBuffer()), { mode: 0o600 });
  const got = await hashFile(partial);
  if (got !== expectedSha256)
    throw inputError(`${field}: ${ref} has sha256 ${got}, the plan says ${expectedSha256}`, {
      fix: 'check the URL (a changed or tampered file) or correct the sha256 in the plan',
    });
  renameSync(partial, kept);
  return { from: ref, local: kept };
}

/** Copy a file into the package tree, keeping nothing of its owner or mode but readability. */
export function copyInto(src: string, dest: string): number {
  copyFileSync(src, dest);
  return statSync(dest).size;
}
