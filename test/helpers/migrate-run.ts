import { join } from 'node:path';
import type { DolibarrDb } from './dolibarr-schema.js';
import { connectTarget } from '../../src/migrate/target.js';
import { runMigration, type RunOptions, type RunResult } from '../../src/migrate/run.js';

/** Run a migration against a test database the way the CLI does (one connection, closed after). */
export async function migrate(d: DolibarrDb, dir: string, jobs: RunOptions['jobs'], opts: Partial<RunOptions> = {}): Promise<RunResult> {
  const db = await connectTarget(d.target);
  try {
    return await runMigration(db, d.target, {
      jobs, entity: 1, now: new Date('2026-11-27T10:00:00Z'), dryRun: false, acceptRejects: false, reportRoot: join(dir, 'reports'), ...opts,
    });
  } finally {
    await db.end();
  }
}

/** One number from SQL (run as root in the test database). */
export async function count(d: DolibarrDb, sql: string): Promise<number> {
  const rows = await d.query(sql);
  return Number(rows[0]?.[0] ?? NaN);
}


/** The AUTO_INCREMENT counter of a table of the test database, as the server has it. */
export async function autoIncrement(d: DolibarrDb, table: string): Promise<number> {
  return count(d, `SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '${table}'`);
}
