import type pg from 'pg';
import { postgresMigrations } from './postgres-migrations.js';
import { migrationLockKey } from './postgres-connect.js';

/**
 * Apply the migrations not applied yet, in one transaction under an advisory lock: two processes opening a new
 * store at once do not both create it. Returns the versions applied.
 */
export async function migratePostgres(db: pg.PoolClient): Promise<number[]> {
  await db.query('BEGIN');
  try {
    await db.query('SELECT pg_advisory_xact_lock($1, $2)', migrationLockKey);
    await db.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
    );
    const { rows } = await db.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((r) => r.version));
    const todo = postgresMigrations.filter((m) => !done.has(m.version));
    for (const m of todo) {
      await db.query(m.sql);
      await db.query('INSERT INTO schema_migrations VALUES ($1, $2)', [m.version, new Date().toISOString()]);
    }
    await db.query('COMMIT');
    return todo.map((m) => m.version);
  } catch (e) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}
