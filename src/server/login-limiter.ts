/**
 * Failed logins per login name: after `max` failures within `windowMs` the login is refused
 * until the window passes, whatever the IP (per-IP limits are @fastify/rate-limit's job).
 */
export class LoginLimiter {
  readonly #failures = new Map<string, number[]>();

  constructor(
    readonly max = 5,
    readonly windowMs = 15 * 60_000,
  ) {}

  #recent(login: string, now: number): number[] {
    const kept = (this.#failures.get(login) ?? []).filter((t) => now - t < this.windowMs);
    this.#failures.set(login, kept);
    return kept;
  }

  /** Milliseconds until this login may try again; 0 when it may try now. */
  retryAfterMs(login: string, now = Date.now()): number {
    const recent = this.#recent(login, now);
    return recent.length < this.max ? 0 : this.windowMs - (now - recent[0]!);
  }

  fail(login: string, now = Date.now()): void {
    this.#recent(login, now).push(now);
  }

  succeed(login: string): void {
    this.#failures.delete(login);
  }
}
