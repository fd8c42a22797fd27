import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { inputError } from '../core/errors.js';

/** Where the session key lives: outside the store and the repository, like the secret key. */
export function defaultSessionKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env.MOKODEPLOY_SESSION_KEY_FILE ??
    join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'mokodeploy', 'session.key')
  );
}

/** The 32-byte key that seals session cookies; created 0600 on first use. */
export function readOrCreateSessionKey(file: string): Buffer {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) {
    throw inputError('the session key file does not hold a 32-byte base64 key', {
      where: file,
      fix: 'delete it (everyone logs in again) or restore the right file',
    });
  }
  return key;
}
