import type { Mapping } from './mapping-schema.js';
import type { TableSchema } from './schema.js';
import type { CodeRule } from './codes.js';
import type { Db, TargetDb } from './target.js';

/** One file to import with its mapping (a line of the migration file). */
export interface Job {
  file: string;
  mapping: Mapping;
  /** Where the mapping came from: a file path or `default:<name>`. */
  mappingSource: string;
}

/** What the stages share for one run: the live database, read once. */
export interface RunContext {
  db: Db;
  target: TargetDb;
  entity: number;
  now: Date;
  /** llx_user.rowid stamped as creator (fk_user_creat / fk_user_author), like the import module does. */
  userId: number | null;
  countryId(codeOrLabel: string): number | undefined;
  codeRule: CodeRule;
  schemas: Map<string, TableSchema>;
  /** Keys of third parties that passed the row checks in this run (lower-cased): a sample defers, not rejects, their contacts. */
  thirdpartyKeys: Set<string>;
  /** Third parties by external key (lower-cased) -> rowid: those in the database, then those this run inserts. */
  thirdpartyRowids: Map<string, number>;
  /** Highest third-party rowid seen: new rows are looked up above it (a primary-key range, ref_ext has no index). */
  lastThirdpartyRowid: number;
  /** Rows per batch: one bulk statement and one database round trip each. */
  batchSize: number;
  /** Longest INSERT statement the server accepts (its max_allowed_packet, with a margin). */
  maxStatementBytes: number;
  /** Whether batches still go by LOAD DATA LOCAL INFILE (turned off on the first refusal). */
  bulk: { localInfile: boolean };
}
