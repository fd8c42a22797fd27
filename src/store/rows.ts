import type { AuditEntry } from '../audit/entry.js';
import type { StoredRow } from '../audit/record-binding.js';

/** An audit row as both stores hold it (same columns in SQLite and PostgreSQL). */
export interface AuditRow {
  pos: number;
  seq: number;
  at: string;
  actor: string;
  role: string;
  action: string;
  deployment_id: string | null;
  summary: string;
  before: string;
  after: string;
  prev_hash: string;
  hash: string;
  signature: string | null;
  record_hash: string | null;
  revision: number | null;
}

export function entryOf(r: AuditRow): AuditEntry {
  return {
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    role: r.role,
    action: r.action,
    deploymentId: r.deployment_id,
    summary: r.summary,
    before: JSON.parse(r.before),
    after: JSON.parse(r.after),
    prevHash: r.prev_hash,
    hash: r.hash,
    ...(r.signature ? { signature: r.signature } : {}),
    ...(r.record_hash !== null ? { recordHash: r.record_hash } : {}),
    ...(r.revision !== null ? { revision: r.revision } : {}),
  };
}

/** Every column of the deployments table, named as StoredRow names them. */
export const selectRows =
  'SELECT id, client, state, kind, environment, revision, doc, created_at AS createdAt, updated_at AS updatedAt FROM deployments';

export type { StoredRow };
