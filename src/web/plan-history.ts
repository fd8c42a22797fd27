import { structuredPatch } from 'diff';
import { stringify } from 'yaml';
import { html, type Html } from './html.js';
import type { AuditEntry } from '../audit/entry.js';

/** One version of the plan, as the audit trail recorded it (creation and every revision). */
export interface PlanRevision {
  at: string;
  by: string;
  action: string;
  planHash: string;
  yaml: string;
}

/** Every plan the deployment had, oldest first: each audit entry that wrote `plan` carries it (recordDiff). */
export function planRevisions(entries: readonly AuditEntry[]): PlanRevision[] {
  const out: PlanRevision[] = [];
  for (const e of entries) {
    const after = e.after as { plan?: unknown; planHash?: string } | null;
    if (!after || typeof after !== 'object' || !after.plan) continue;
    const planHash = after.planHash ?? '';
    if (out.at(-1)?.planHash === planHash && planHash) continue;
    out.push({ at: e.at, by: e.actor, action: e.action, planHash, yaml: stringify(after.plan) });
  }
  return out;
}

/** A unified YAML diff as lines marked + and - (words and signs, not colour alone). */
export function yamlDiff(before: string, after: string, from: string, to: string): Html {
  const patch = structuredPatch(from, to, before, after, undefined, undefined, { context: 3 });
  if (patch.hunks.length === 0) return html`<p class="muted">No difference.</p>`;
  return html`<pre class="diff" aria-label="Changes from ${from} to ${to}">${patch.hunks.map(
    (h) =>
      html`<span class="hunk">@@ line ${h.oldStart} → ${h.newStart} @@</span>
${h.lines.map((l) => {
        const cls = l.startsWith('+') ? 'add' : l.startsWith('-') ? 'del' : 'ctx';
        return html`<span class="${cls}">${l}</span>
`;
      })}`,
  )}</pre>`;
}
