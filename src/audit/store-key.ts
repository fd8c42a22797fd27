import { createHash, createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { refused } from '../core/errors.js';
import { exportPublicKey, type AuditSigner } from './signing-key.js';

/**
 * A store knows the public key of its signing key (issue 25): recorded beside the store (<store>.audit-key.pub)
 * when the store is first opened with a signer. A command whose signing key is another one, or that would
 * create a new key for a store that already has entries (cron without MOKODEPLOY_AUDIT_KEY_FILE made one
 * under its own $HOME and signed with it), is refused before anything is written, with the fix.
 * Additive beside the store code (owned by the audit/store work): it only reads the store.
 */
export const storeKeyFile = (storePath: string) => `${storePath}.audit-key.pub`;

export const keyFingerprint = (pem: string): string =>
  `SHA256:${createHash('sha256')
    .update(createPublicKey(pem).export({ type: 'spki', format: 'der' }))
    .digest('base64')
    .replace(/=+$/, '')}`;

/** Entries signed by some key (a store written without a signer, e.g. by a test helper, has none). */
function signedEntries(storePath: string): number {
  if (!existsSync(storePath)) return 0;
  try {
    const db = new Database(storePath, { readonly: true, fileMustExist: true });
    try {
      return (
        db.prepare('SELECT COUNT(*) AS n FROM audit WHERE signature IS NOT NULL').get() as { n: number }
      ).n;
    } finally {
      db.close();
    }
  } catch {
    return 0; // no audit table yet: a store being created
  }
}

/** The signer for this store, after checking it is the store's own key (recording it for a new store). */
export function signerForStore(storePath: string, keyFile: string, load: () => AuditSigner): AuditSigner {
  const recordedFile = storeKeyFile(storePath);
  const recorded = existsSync(recordedFile) ? readFileSync(recordedFile, 'utf8') : undefined;
  const fix = (what: string) =>
    `point MOKODEPLOY_AUDIT_KEY_FILE at the key this store was created with${what}; never sign this store with another key (\`mokodeploy audit verify\` would then report a broken chain)`;
  if (!existsSync(keyFile)) {
    const entries = signedEntries(storePath);
    if (entries > 0)
      throw refused(
        `no audit signing key at ${keyFile}, but the store ${storePath} already has ${entries} signed entries: a new key would sign with another key`,
        {
          where: keyFile,
          fix: fix(
            recorded ? ` (public key fingerprint ${keyFingerprint(recorded)}, in ${recordedFile})` : '',
          ),
        },
      );
  }
  const signer = load();
  const mine = exportPublicKey(signer.publicKey);
  if (!recorded) {
    mkdirSync(dirname(recordedFile), { recursive: true, mode: 0o700 });
    writeFileSync(recordedFile, mine, { mode: 0o644 });
    return signer;
  }
  if (recorded.trim() !== mine.trim())
    throw refused(
      `the audit key ${keyFile} (${keyFingerprint(mine)}) is not the key of the store ${storePath} (${keyFingerprint(recorded)}, recorded when the store was created)`,
      {
        where: keyFile,
        fix: fix(` (fingerprint ${keyFingerprint(recorded)}, public key in ${recordedFile})`),
      },
    );
  return signer;
}
