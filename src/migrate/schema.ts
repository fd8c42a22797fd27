import type { Db } from './target.js';
import { targetError } from '../core/errors.js';

/** One column of the live schema (information_schema.COLUMNS), what validation checks against. */
export interface Column {
  name: string;
  dataType: string;
  /** Characters for text columns. */
  maxLength: number | null;
  nullable: boolean;
  hasDefault: boolean;
  numericPrecision: number | null;
  numericScale: number | null;
  charset: string | null;
}

export type TableSchema = Map<string, Column>;

/**
 * Column types and sizes from the live database, not from a copy of Dolibarr's SQL: schemas
 * drift between install histories (DOLIBARR.md §4, e.g. varchar(12) vs varchar(24)).
 */
export async function readTableSchema(db: Db, table: string): Promise<TableSchema> {
  const [rows] = await db.query(
    `SELECT COLUMN_NAME AS name, DATA_TYPE AS dataType, CHARACTER_MAXIMUM_LENGTH AS maxLength, IS_NULLABLE AS nullable,
            COLUMN_DEFAULT AS def, NUMERIC_PRECISION AS prec, NUMERIC_SCALE AS scale, CHARACTER_SET_NAME AS charset, EXTRA AS extra
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
    [table],
  );
  const list = rows as { name: string; dataType: string; maxLength: number | null; nullable: string; def: string | null; prec: number | null; scale: number | null; charset: string | null; extra: string }[];
  if (list.length === 0) throw targetError(`the table ${table} does not exist in the target database`, { fix: 'is Dolibarr installed there, with this table prefix and its module enabled?' });
  return new Map(
    list.map((c) => [
      c.name,
      {
        name: c.name,
        dataType: c.dataType.toLowerCase(),
        maxLength: c.maxLength === null ? null : Number(c.maxLength),
        nullable: c.nullable === 'YES',
        hasDefault: c.def !== null || c.extra.includes('auto_increment'),
        numericPrecision: c.prec === null ? null : Number(c.prec),
        numericScale: c.scale === null ? null : Number(c.scale),
        charset: c.charset,
      },
    ]),
  );
}

export const integerTypes = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint']);
export const realTypes = new Set(['double', 'float', 'real', 'decimal']);
export const textTypes = new Set(['varchar', 'char', 'text', 'mediumtext', 'longtext', 'tinytext']);
export const dateTypes = new Set(['date', 'datetime', 'timestamp']);
