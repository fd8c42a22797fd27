import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { inputError } from '../core/errors.js';

/**
 * The audit trail's signing key (Ed25519), kept outside the store like the secret key: whoever can rewrite the
 * database and the anchor file can recompute a bare hash chain, but not the signatures. Verifying needs only the
 * public key, which can be handed to an auditor who must not be able to sign.
 */
export function defaultAuditKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env.MOKODEPLOY_AUDIT_KEY_FILE ??
    join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'mokodeploy', 'audit-signing.pem')
  );
}

export interface AuditSigner {
  /** Base64 Ed25519 signature of an entry's hash. */
  sign(hash: string): string;
  publicKey: KeyObject;
}

/** The signer from its PEM file, created 0600 on first use (atomically: two first uses get the same key). */
export function readOrCreateAuditSigner(file: string): AuditSigner {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, pem, { mode: 0o600 });
    try {
      linkSync(tmp, file); // fails when another process created it first: then theirs is used
    } catch (e) {
      if ((e as { code?: string }).code !== 'EEXIST') throw e;
    } finally {
      rmSync(tmp, { force: true });
    }
  }
  const privateKey = readKey(file, (pem) => createPrivateKey(pem));
  return {
    sign: (hash) => sign(null, Buffer.from(hash), privateKey).toString('base64'),
    publicKey: createPublicKey(privateKey),
  };
}

/** A public key (PEM) for `audit verify --public-key`; a private key file works too. */
export function readAuditPublicKey(file: string): KeyObject {
  return readKey(file, (pem) => createPublicKey(pem));
}

export function exportPublicKey(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

export function signatureValid(publicKey: KeyObject, hash: string, signature: string): boolean {
  try {
    return verify(null, Buffer.from(hash), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

function readKey(file: string, parse: (pem: string) => KeyObject): KeyObject {
  let key: KeyObject;
  try {
    key = parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw inputError(`cannot read the audit key: ${(e as Error).message.split('\n')[0]}`, {
      where: file,
      fix: 'restore the right key file (PEM, Ed25519), or point MOKODEPLOY_AUDIT_KEY_FILE at it',
    });
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw inputError(`the audit key is ${key.asymmetricKeyType ?? 'not an asymmetric key'}, not Ed25519`, {
      where: file,
      fix: 'restore the right key file',
    });
  return key;
}
