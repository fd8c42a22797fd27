import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir } from '../store/private-files.js';
import { inputError } from '../core/errors.js';

/** How long a session cookie is accepted at all (auth.ts seals it with this expiry). */
export const sessionSeconds = 8 * 3600;

/**
 * Sessions ended by logout. The sealed cookie is stateless (it would stay valid until it expires, wherever a
 * copy of it went), so every session carries an id and the server keeps the ids of ended ones, in the store
 * directory, until they would have expired anyway.
 */
export class SessionRevocations {
  readonly #file: string;
  #revoked: Map<string, number>;

  constructor(home: string) {
    this.#file = join(home, 'sessions-revoked.json');
    this.#revoked = new Map(existsSync(this.#file) ? readRevoked(this.#file) : []);
  }

  isRevoked(sid: string): boolean {
    return this.#revoked.has(sid);
  }

  /** End this session for good (every copy of its cookie); kept until `untilMs`, when the cookie expires. */
  revoke(sid: string, untilMs: number, now = Date.now()): void {
    this.#revoked.set(sid, untilMs);
    for (const [id, until] of this.#revoked) if (until < now) this.#revoked.delete(id);
    ensurePrivateDir(join(this.#file, '..'));
    const tmp = `${this.#file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify([...this.#revoked]), { mode: 0o600 });
    renameSync(tmp, this.#file);
  }
}

/** The saved list; a damaged one stops the server (it must not forget who logged out). */
function readRevoked(file: string): [string, number][] {
  try {
    const list = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (Array.isArray(list)) return list as [string, number][];
  } catch {
    // reported below
  }
  throw inputError('the list of ended sessions is damaged', {
    where: file,
    fix: 'restore it from a backup; deleting it lets copies of cookies ended in the last 8 hours work again',
  });
}
