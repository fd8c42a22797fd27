import type { AuditEntry } from '../audit/entry.js';

/** The audit page's filter and page: by deployment, person, action (prefix), text; newest first, 100 a page. */
export interface AuditFilter {
  deployment?: string;
  actor?: string;
  action?: string;
  q?: string;
  refused?: boolean;
  page: number;
}

export const auditPageSize = 100;

export function auditFilterOf(query: unknown): AuditFilter {
  const q = (query ?? {}) as Record<string, unknown>;
  const text = (k: string) =>
    typeof q[k] === 'string' && (q[k] as string).trim() ? (q[k] as string).trim().slice(0, 200) : undefined;
  const page = Number(q.page);
  return {
    deployment: text('deployment'),
    actor: text('actor'),
    action: text('action'),
    q: text('q'),
    refused: q.refused === 'on' || q.refused === 'true',
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

export function filterAudit(entries: readonly AuditEntry[], f: AuditFilter): AuditEntry[] {
  const q = f.q?.toLowerCase();
  return entries
    .filter(
      (e) =>
        (!f.deployment || e.deploymentId === f.deployment) &&
        (!f.actor || e.actor === f.actor) &&
        (!f.action || e.action.startsWith(f.action)) &&
        (!f.refused || e.action.startsWith('refused:')) &&
        (!q || `${e.summary} ${e.action} ${e.deploymentId ?? ''}`.toLowerCase().includes(q)),
    )
    .reverse();
}
