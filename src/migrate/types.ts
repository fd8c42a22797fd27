/** Shared shapes of the migration pipeline (read -> map -> validate -> load -> reconcile -> report). */

export type ObjectKind = 'thirdparty' | 'contact' | 'product';

/** A value ready for SQL: strings, numbers, null. Dates travel as 'YYYY-MM-DD[ HH:MM:SS]' strings. */
export type SqlValue = string | number | null;

export { SourceRow } from './source-row.js';
import type { SourceRow } from './source-row.js';

/** A source row after mapping: values by the job's column slots (layout.ts), plus the external key. */
export interface MappedRow {
  line: number;
  key: string;
  /** The key lower-cased, as MariaDB's *_ci collations compare it. */
  lowerKey: string;
  values: SqlValue[];
  /** The third party this row names (contacts), resolved to fk_soc by check-batch. */
  parentRef: string | undefined;
  /** The source row, kept while a batch is checked so a reject can carry it. */
  source: SourceRow;
}

export interface Reject {
  line: number;
  /** The field (Dolibarr column or source column) at fault, when there is one. */
  field?: string;
  reason: string;
  /** The source record as read, so the rejects CSV can be fixed and fed again. */
  record?: Record<string, string>;
  /** The record's text as in the file (every line it spans), when it could not be split into fields. */
  raw?: string;
}

/** What happened to each source row of one job; reconcile checks source = loaded + present + rejected. */
export interface JobCounts {
  source: number;
  loaded: number;
  /** Already in the database under the same external key (an earlier run): not inserted again. */
  alreadyPresent: number;
  rejected: number;
}
