import { inputError } from '../core/errors.js';
import { objectDefs } from './objects.js';
import { readTableSchema, type TableSchema } from './schema.js';
import { readCountries } from './countries.js';
import { readCodeRule } from './codes.js';
import { tableName, type Db, type TargetDb } from './target.js';
import type { RunContext } from './job.js';

/** Read once what every stage needs from the live database: column definitions, countries, numbering, creator. */
export async function openRunContext(db: Db, target: TargetDb, opts: { entity: number; now: Date; createdBy?: string; batchSize?: number; localInfile?: boolean }): Promise<RunContext> {
  const schemas = new Map<string, TableSchema>();
  for (const def of Object.values(objectDefs)) schemas.set(def.table, await readTableSchema(db, tableName(target, def.table)));
  return {
    db,
    target,
    entity: opts.entity,
    now: opts.now,
    userId: opts.createdBy ? await userId(db, target, opts.createdBy, opts.entity) : null,
    countryId: await readCountries(db, target),
    codeRule: await readCodeRule(db, target, opts.entity, opts.now),
    schemas,
    thirdpartyKeys: new Set(),
    thirdpartyRowids: new Map(),
    lastThirdpartyRowid: 0,
    batchSize: opts.batchSize ?? defaultBatchSize,
    maxStatementBytes: await maxStatementBytes(db),
    bulk: { localInfile: opts.localInfile ?? true },
  };
}

/**
 * Rows per batch. Bigger batches mean fewer round trips and statements (measured with
 * bench/migrate.ts: 1000 -> 5000 rows cut the load stage); the next batch is mapped while one is
 * in flight, so memory holds two batches, whatever the file's size.
 */
const defaultBatchSize = 5000;

/** max_allowed_packet less a margin for the protocol: INSERT statements are split below it. */
async function maxStatementBytes(db: Db): Promise<number> {
  const [rows] = await db.query('SELECT @@max_allowed_packet AS max');
  const max = Number((rows as { max: number }[])[0]?.max ?? 1 << 24);
  return Math.max(64 * 1024, Math.min(max - 1024, 16 << 20));
}

async function userId(db: Db, target: TargetDb, login: string, entity: number): Promise<number> {
  const [rows] = await db.query(`SELECT rowid FROM ${tableName(target, 'user')} WHERE login = ? AND entity IN (0, ?) LIMIT 1`, [login, entity]);
  const id = (rows as { rowid: number }[])[0]?.rowid;
  if (id === undefined) throw inputError(`createdBy: there is no Dolibarr user "${login}"`, { fix: 'name an existing login, or leave createdBy out' });
  return Number(id);
}
