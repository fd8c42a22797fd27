import type { DeploymentRecord } from '../core/record.js';
import { windowStartOf } from './waiting.js';

/** The board's filters, from the query string (each one optional; unknown values just match nothing). */
export interface BoardFilter {
  state?: string;
  environment?: string;
  kind?: string;
  client?: string;
  person?: string;
  from?: string;
  to?: string;
  q?: string;
}

const keys = ['state', 'environment', 'kind', 'client', 'person', 'from', 'to', 'q'] as const;

export function boardFilterOf(query: unknown): BoardFilter {
  const q = (query ?? {}) as Record<string, unknown>;
  const out: BoardFilter = {};
  for (const k of keys) {
    const v = q[k];
    if (typeof v === 'string' && v.trim() !== '') out[k] = v.trim().slice(0, 200);
  }
  return out;
}

/** Words a text search looks in: id, client and its name, description, people, issue titles, lessons. */
function searchText(r: DeploymentRecord): string {
  return [
    r.id,
    r.client,
    r.plan.clientName,
    r.plan.description ?? '',
    r.kind,
    r.environment,
    r.state,
    ...Object.values(r.plan.people),
    ...r.issues.map((i) => i.title),
    ...r.lessons.map((l) => l.text),
  ]
    .join(' ')
    .toLowerCase();
}

/** A date filter bound: YYYY-MM-DD (the day, UTC) or nothing. */
const day = (s: string | undefined) => (s && /^\d{4}-\d{2}-\d{2}$/.test(s) ? s : undefined);

export function matchesBoard(r: DeploymentRecord, f: BoardFilter): boolean {
  if (f.state && r.state !== f.state) return false;
  if (f.environment && r.environment !== f.environment) return false;
  if (f.kind && r.kind !== f.kind) return false;
  if (f.client && r.client !== f.client) return false;
  if (f.person && !Object.values(r.plan.people).includes(f.person) && r.author !== f.person) return false;
  const start = windowStartOf(r)?.slice(0, 10);
  const from = day(f.from);
  const to = day(f.to);
  if ((from || to) && !start) return false;
  if (from && start! < from) return false;
  if (to && start! > to) return false;
  if (
    f.q &&
    !f.q
      .toLowerCase()
      .split(/\s+/)
      .every((w) => searchText(r).includes(w))
  )
    return false;
  return true;
}
