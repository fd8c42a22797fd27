/** One stretch of time the site did not answer normally. */
export interface Outage {
  from: string;
  seconds: number;
  /** What was seen: an HTTP status or an error code. */
  seen: string;
}

/**
 * The bookkeeping of a prober (src/runner/downtime-probe.ts, bench/page-prober.ts): each sample is normal or not; an
 * outage runs from the start of the first failing sample to the start of the next normal one.
 */
export class OutageLog {
  readonly closed: Outage[] = [];
  samples = 0;
  failed = 0;
  #down: { since: number; seen: string } | undefined;

  /** A sample started at `at` (ms): `seen` is what went wrong, undefined when the site answered normally. */
  record(at: number, seen: string | undefined): void {
    this.samples++;
    if (seen === undefined) {
      if (this.#down) this.closed.push(this.#outage(at));
      this.#down = undefined;
    } else {
      this.failed++;
      this.#down ??= { since: at, seen };
    }
  }

  /** The outages that began at `t0` or later, the one still open counted up to `now`. */
  since(t0: number, now = Date.now()): Outage[] {
    const open = this.#down && this.#down.since >= t0 ? [this.#outage(now)] : [];
    return [...this.closed.filter((x) => Date.parse(x.from) >= t0), ...open];
  }

  /** End the run: an outage still open ends now. */
  close(now = Date.now()): Outage[] {
    if (this.#down) this.closed.push(this.#outage(now));
    this.#down = undefined;
    return this.closed;
  }

  #outage(end: number): Outage {
    const down = this.#down!;
    return { from: new Date(down.since).toISOString(), seconds: (end - down.since) / 1000, seen: down.seen };
  }
}

/** Total seconds of some outages, to the millisecond. */
export const totalSeconds = (outages: readonly Outage[]): number =>
  Math.round(outages.reduce((s, x) => s + x.seconds, 0) * 1000) / 1000;
