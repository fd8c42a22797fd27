import type { AuditRow, StoredRow } from './rows.js';
import type { OutboxRow } from './outbox-rows.js';

/**
 * Every row of a store, column for column, in storage order: what `mokodeploy store migrate` moves from one store
 * to another. Nothing is re-derived on the way, so the audit chain (hashes, signatures, record binding) is the same.
 */
export interface StoreDump {
  deployments: StoredRow[];
  audit: AuditRow[];
  outbox: OutboxRow[];
}

/** The file evidence the records reference (content-addressed by sha256: they stay in the evidence directory). */
export function evidenceFilesOf(dump: StoreDump): string[] {
  const found = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.kind === 'file' && typeof o.sha256 === 'string') found.add(o.sha256);
      Object.values(o).forEach(walk);
    }
  };
  for (const row of dump.deployments) walk(JSON.parse(row.doc));
  return [...found].sort();
}
