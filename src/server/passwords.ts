import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** scrypt is memory-hard: N=2^15, r=8 uses 32 MiB per hash, which makes guessing in bulk costly. */
const params = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } satisfies ScryptOptions;
const keyLength = 32;

function derive(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((done, fail) =>
    scrypt(password.normalize('NFC'), salt, keyLength, opts, (e, key) => (e ? fail(e) : done(key))),
  );
}

/** `scrypt$N$r$p$salt$hash` (base64): the parameters travel with the hash so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: params.maxmem,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A short digest naming one stored hash, kept in the session; it changes when the password is reset. */
export const passwordVersion = (stored: string): string =>
  createHash('sha256').update(stored).digest('hex').slice(0, 16);

/** A hash for logins without a password, so an unknown login costs as much time as a known one. */
let decoy: Promise<string> | undefined;
export const decoyHash = (): Promise<string> => (decoy ??= hashPassword(randomBytes(16).toString('hex')));

/** The password hashes of the team, in the store directory (0600): `{ login: hash }`. */
export class PasswordFile {
  readonly path: string;

  constructor(home: string) {
    this.path = join(home, 'passwords.json');
  }

  read(): Record<string, string> {
    return existsSync(this.path)
      ? (JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, string>)
      : {};
  }

  hashOf(login: string): string | undefined {
    const all = this.read();
    return Object.hasOwn(all, login) ? all[login] : undefined;
  }

  write(login: string, hash: string): void {
    const all = { ...this.read(), [login]: hash };
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.path);
  }
}
