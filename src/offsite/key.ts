import { hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { inputError } from '../core/errors.js';
import { defaultKeyFile } from '../store/secrets.js';

/**
 * The key off-server backup copies are sealed with: derived (HKDF-SHA256) from the store's own 32-byte key
 * (src/store/secrets.ts: ~/.config/mokodeploy/secret.key or $MOKODEPLOY_SECRET_KEY_FILE), so the copies need no
 * key of their own and the secrets' key is never used directly for another purpose. Created as the store creates it.
 */
export function offsiteKey(keyFile: string = defaultKeyFile()): Buffer {
  if (!existsSync(keyFile)) {
    mkdirSync(dirname(keyFile), { recursive: true, mode: 0o700 });
    writeFileSync(keyFile, randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  const key = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64');
  if (key.length !== 32)
    throw inputError('the secret key file does not hold a 32-byte base64 key', {
      where: keyFile,
      fix: 'restore the right key file',
    });
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'mokodeploy off-server backup copies', 32));
}
