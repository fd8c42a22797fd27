import pg from 'pg';
import { prepareQueue } from './schema.js';

/** A connection pool to the queue's database, its schema made sure of once. */
export async function openQueuePool(url: string, max = 4): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => undefined); // an idle client's dropped connection: the next query reconnects or fails
  try {
    await prepareQueue(pool);
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
  }
  return pool;
}
