import type pg from 'pg';
import { openQueuePool } from './pool.js';
import { queueUrlFrom } from './url.js';

/** The queue for a long-running edge (the dashboard): opened on first use, so a server without a queue still starts. */
export interface LazyQueue {
  pool(): Promise<pg.Pool>;
  close(): Promise<void>;
}

export function lazyQueue(url?: string, env: NodeJS.ProcessEnv = process.env): LazyQueue {
  let opening: Promise<pg.Pool> | undefined;
  return {
    pool() {
      opening ??= openQueuePool(url ?? queueUrlFrom(env)).catch((e: unknown) => {
        opening = undefined; // the next request tries again
        throw e;
      });
      return opening;
    },
    async close() {
      const p = opening;
      opening = undefined;
      if (p) await (await p.catch(() => undefined))?.end();
    },
  };
}
