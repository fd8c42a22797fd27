import { hashPlan } from '../core/canonical.js';
import { hashRecordDoc, type AuditEntry } from './entry.js';
import type { ChainProblem } from './verify.js';

/** A deployments row as stored, every column. */
export interface StoredRow {
  id: string;
  client: string;
  state: string;
  kind: string;
  environment: string;
  revision: number;
  doc: string;
  createdAt: string;
  updatedAt: string;
}

/** The entries that wrote one deployment: the first (its creation) and the last. */
export interface Writes {
  first: AuditEntry;
  last: AuditEntry;
}

/**
 * The record is a projection of the chain: every column of a stored row must be what the entries that wrote it
 * say (the document by its hash, the revision, the dates) or what the document says (the summary columns).
 * Returns one line per difference, empty when the row is exactly what the trail wrote.
 */
export function rowDifferences(row: StoredRow, writes: Writes | undefined): string[] {
  if (!writes) return [`no audit entry wrote deployment ${row.id}: the row was put into the store directly`];
  const { first, last } = writes;
  const out: string[] = [];
  let doc: Record<string, unknown> | undefined;
  try {
    doc = JSON.parse(row.doc) as Record<string, unknown>;
    if (hashRecordDoc(row.doc) !== last.recordHash)
      out.push(`its record differs from the one audit entry ${last.seq} (${last.action}) wrote`);
  } catch {
    out.push('its record is not JSON');
  }
  if (row.revision !== last.revision)
    out.push(`revision is ${row.revision} but audit entry ${last.seq} wrote revision ${last.revision}`);
  for (const column of ['id', 'client', 'state', 'kind', 'environment'] as const) {
    if (doc && doc[column] !== row[column])
      out.push(`column ${column} is "${row[column]}" but the record says "${String(doc[column])}"`);
  }
  const updatedAt = datesOf(last).updatedAt;
  if (row.updatedAt !== updatedAt)
    out.push(`updated_at is ${row.updatedAt} but its last change (entry ${last.seq}) was at ${updatedAt}`);
  const createdAt = datesOf(first).createdAt;
  if (row.createdAt !== createdAt)
    out.push(`created_at is ${row.createdAt} but it was created (entry ${first.seq}) at ${createdAt}`);
  return out;
}

/** The action of the entry that bound a record written before records were bound (the store's migration 3). */
export const boundAction = 'record-bound';

/** The dates an entry gives its record: its own time, or for a binding entry the row's dates it recorded. */
function datesOf(e: AuditEntry): { createdAt: string; updatedAt: string } {
  if (e.action === boundAction) {
    const a = (e.after ?? {}) as { createdAt?: string; updatedAt?: string };
    return { createdAt: a.createdAt ?? '', updatedAt: a.updatedAt ?? '' };
  }
  return { createdAt: e.at, updatedAt: e.at };
}

/** The plan must hash to the planHash the record carries, and an approval in force must be of that plan. */
export function planDifferences(row: StoredRow): string[] {
  let doc: { plan?: unknown; planHash?: string; approval?: { planHash?: string }; state?: string };
  try {
    doc = JSON.parse(row.doc) as typeof doc;
  } catch {
    return [];
  }
  const out: string[] = [];
  const actual = hashPlan(doc.plan);
  if (actual !== doc.planHash)
    out.push(
      `its plan hashes to ${actual.slice(0, 16)}, not to the planHash ${String(doc.planHash).slice(0, 16)} it was submitted and approved under`,
    );
  const approvedStates = [
    'approved',
    'ready',
    'scheduled',
    'deploying',
    'verifying',
    'awaiting-signoff',
    'live',
  ];
  if (doc.approval && approvedStates.includes(doc.state ?? '') && doc.approval.planHash !== actual)
    out.push(
      `its approval covers plan ${String(doc.approval.planHash).slice(0, 16)}, not the stored plan ${actual.slice(0, 16)}`,
    );
  return out;
}

/** Every stored row against the chain (entries in storage order), plus deployments the chain wrote that are gone. */
export function verifyRecords(rows: readonly StoredRow[], entries: readonly AuditEntry[]): ChainProblem[] {
  const writes = writesById(entries);
  const problems: ChainProblem[] = [];
  for (const row of rows) {
    const w = writes.get(row.id);
    const seq = w?.last.seq ?? 0;
    for (const d of rowDifferences(row, w))
      problems.push({
        seq,
        kind: 'record',
        message: `deployment ${row.id} was changed outside mokodeploy: ${d}`,
      });
    for (const d of planDifferences(row))
      problems.push({ seq, kind: 'plan', message: `deployment ${row.id}: ${d}` });
  }
  const stored = new Set(rows.map((r) => r.id));
  for (const [id, w] of writes) {
    if (!stored.has(id))
      problems.push({
        seq: w.last.seq,
        kind: 'record',
        message: `deployment ${id} was deleted from the store outside mokodeploy (last written by entry ${w.last.seq})`,
      });
  }
  return problems;
}

/** The first and last entry that wrote each deployment (the entries that carry a record hash). */
export function writesById(entries: readonly AuditEntry[]): Map<string, Writes> {
  const out = new Map<string, Writes>();
  for (const e of entries) {
    if (!e.deploymentId || e.recordHash === undefined) continue;
    const w = out.get(e.deploymentId);
    out.set(e.deploymentId, { first: w?.first ?? e, last: e });
  }
  return out;
}
