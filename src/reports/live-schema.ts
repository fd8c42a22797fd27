import type { DbClient } from '../verify/db-query.js';

/**
 * The database schema as it is on the live server (information_schema of the client's database): every table
 * with engine, estimated rows and column count, and the full columns of the tables the client works with most
 * plus every table of their custom modules. Install histories differ (DOLIBARR.md §4 "Schema drift"), so the pack
 * documents what is there, not what a fresh install would have.
 */
export interface TableInfo {
  name: string;
  engine: string;
  rows: number;
  columns: number;
  collation: string;
}

export interface ColumnInfo {
  table: string;
  name: string;
  type: string;
  nullable: boolean;
  key: string;
  default: string;
}

export interface LiveSchema {
  database: string;
  server: string;
  tables: TableInfo[];
  columns: ColumnInfo[];
}

export const coreDetailTables = ['llx_societe', 'llx_socpeople', 'llx_product', 'llx_user', 'llx_const'];

export async function readLiveSchema(db: DbClient, detailPrefixes: string[] = []): Promise<LiveSchema> {
  const [[database = '', server = ''] = []] = await db.query('SELECT DATABASE(), VERSION()');
  const tables = (
    await db.query(
      "SELECT table_name, IFNULL(engine, ''), IFNULL(table_rows, 0), (SELECT COUNT(*) FROM information_schema.columns c WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name), IFNULL(table_collation, '') FROM information_schema.tables t WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name",
    )
  ).map(([name, engine, rows, columns, collation]) => ({
    name: name!,
    engine: engine!,
    rows: Number(rows),
    columns: Number(columns),
    collation: collation!,
  }));
  const detail = tables
    .map((t) => t.name)
    .filter((n) => coreDetailTables.includes(n) || detailPrefixes.some((p) => n.startsWith(`llx_${p}`)));
  const columns = detail.length
    ? (
        await db.query(
          `SELECT table_name, column_name, column_type, is_nullable, column_key, IFNULL(column_default, '') FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name IN (${detail.map((n) => `'${n}'`).join(', ')}) ORDER BY table_name, ordinal_position`,
        )
      ).map(([table, name, type, nullable, key, def]) => ({
        table: table!,
        name: name!,
        type: type!,
        nullable: nullable === 'YES',
        key: key!,
        default: def!,
      }))
    : [];
  return { database, server, tables, columns };
}
