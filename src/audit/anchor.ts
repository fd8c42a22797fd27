import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { sha256Hex } from '../core/canonical.js';
import type { Anchor } from './verify.js';

/**
 * The anchor is the trail's signed head (seq, hash): the model is a transparency log's signed tree head. It lives
 * beside the audit signing key, outside the store's directory, so whoever can restore or edit the store (an older
 * database with an older anchor beside it) cannot also move the head back. One anchor per store, by its path.
 */
export function anchorFileFor(storePath: string, auditKeyFile: string): string {
  const id = sha256Hex(resolve(storePath)).slice(0, 24);
  return join(dirname(resolve(auditKeyFile)), 'anchors', `${id}.json`);
}

/** The anchor in this file, or undefined when there is none (or it is not one). */
export function readAnchorFile(path: string): Anchor | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const a = JSON.parse(readFileSync(path, 'utf8')) as Anchor;
    return Number.isInteger(a.seq) && typeof a.hash === 'string' ? a : undefined;
  } catch {
    return undefined;
  }
}

/** Move the anchor forward: an anchor never goes back to a smaller seq (a slower writer cannot undo a newer one). */
export function writeAnchorForward(path: string, anchor: Anchor): void {
  const current = readAnchorFile(path);
  if (current && current.seq >= anchor.seq) return;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(anchor), { mode: 0o600 });
  renameSync(tmp, path);
}
