import { existsSync } from 'node:fs';
import { refused } from '../core/errors.js';
import { exportPublicKey, type AuditSigner } from '../audit/signing-key.js';
import { keyFingerprint } from '../audit/store-key.js';
import type { PostgresStore } from './postgres.js';

/**
 * The PostgreSQL store records the public key of its signing key in `store_meta` when it is first opened with one
 * (the SQLite store keeps it in a file beside it, store-key.ts). Every machine must sign with that key: a machine
 * without the key file is refused before a new key is made, and a machine with another key is refused.
 */
export function postgresSignerFor(keyFile: string, load: () => AuditSigner) {
  return async (store: PostgresStore): Promise<AuditSigner> => {
    const recorded = await store.meta('audit-public-key');
    const fix = `copy the audit key this store was created with to ${keyFile} (or point MOKODEPLOY_AUDIT_KEY_FILE at it)${
      recorded ? `: its public key has the fingerprint ${keyFingerprint(recorded)}` : ''
    }; never sign this store with another key`;
    if (!existsSync(keyFile)) {
      const signed = await store.signedEntries();
      if (signed > 0)
        throw refused(
          `no audit signing key at ${keyFile}, but the store ${store.location} already has ${signed} signed entries: a new key would sign with another key`,
          { where: keyFile, fix },
        );
    }
    const signer = load();
    const mine = exportPublicKey(signer.publicKey);
    const inForce = await store.setMetaOnce('audit-public-key', mine);
    if (inForce.trim() !== mine.trim())
      throw refused(
        `the audit key ${keyFile} (${keyFingerprint(mine)}) is not the key of the store ${store.location} (${keyFingerprint(inForce)})`,
        { where: keyFile, fix },
      );
    return signer;
  };
}
