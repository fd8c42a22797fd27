import type pg from 'pg';
import { settledJobs, type JobRow } from './jobs.js';

/** Wait until every job of `ids` has settled (succeeded or failed); `onSettled` hears each one once. */
export async function waitForJobs(
  pool: pg.Pool,
  ids: number[],
  opts: { pollMs?: number; onSettled?: (job: JobRow) => void | Promise<void>; signal?: AbortSignal } = {},
): Promise<JobRow[]> {
  const seen = new Map<number, JobRow>();
  for (;;) {
    for (const j of await settledJobs(pool, ids.filter((id) => !seen.has(id)))) {
      seen.set(j.id, j);
      await opts.onSettled?.(j);
    }
    if (seen.size === ids.length || opts.signal?.aborted) return ids.flatMap((id) => seen.get(id) ?? []);
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 250));
  }
}
