/**
 * Login attempts per login name: after `max` attempts that did not succeed within `windowMs` the login is
 * refused until the window passes, whatever the IP (per-IP limits are @fastify/rate-limit's job). An attempt
 * counts when it starts, before the slow password hash: parallel guesses cannot all slip in while the first
 * ones are still being hashed.
 */
export class LoginLimiter {
  readonly #attempts = new Map<string, number[]>();

  constructor(
    readonly max = 5,
    readonly windowMs = 15 * 60_000,
  ) {}

  #recent(login: string, now: number): number[] {
    const kept = (this.#attempts.get(login) ?? []).filter((t) => now - t < this.windowMs);
    this.#attempts.set(login, kept);
    return kept;
  }

  /** Milliseconds until this login may try again; 0 when it may try now. */
  retryAfterMs(login: string, now = Date.now()): number {
    const recent = this.#recent(login, now);
    return recent.length < this.max ? 0 : this.windowMs - (now - recent[0]!);
  }

  /** Count an attempt now: 0 when it may go on to the password check, else the milliseconds to wait. */
  begin(login: string, now = Date.now()): number {
    const wait = this.retryAfterMs(login, now);
    if (wait === 0) this.#recent(login, now).push(now);
    return wait;
  }

  /** A right password: the attempts counted so far no longer hold the login back. */
  succeed(login: string): void {
    this.#attempts.delete(login);
  }
}
