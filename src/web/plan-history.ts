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

/** Every plan the deployment had, oldest first: each revision's audit entry carries the plan before and after (recordDiff). */
export function planRevisions(entries: readonly AuditEntry[]): PlanRevision[] {
  const out: PlanRevision[] = [];
  type Side = { plan?: unknown; planHash?: string } | null;
  for (const e of entries) {
    const before = e.before as Side;
    const after = e.after as Side;
    if (!after || typeof after !== 'object' || !after.plan) continue;
    // the creating entry names only the hash: the first revision's "before" holds that plan itself
    if (before?.plan && before.planHash && !out.some((r) => r.planHash === before.planHash)) {
      const created = entries.find((x) => (x.after as Side)?.planHash === before.planHash);
      out.push({
        at: created?.at ?? '',
        by: created?.actor ?? '',
        action: created?.action ?? 'plan',
        planHash: before.planHash,
        yaml: stringify(before.plan),
      });
    }
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
  return html`<pre class="diff" aria-label="Changes from ${from} to ${to}">
${patch.hunks.map(
      (h) =>
        html`<span class="hunk">@@ line ${h.oldStart} → ${h.newStart} @@</span> ${h.lines.map((l) => {
            const cls = l.startsWith('+') ? 'add' : l.startsWith('-') ? 'del' : 'ctx';
            return html`<span class="${cls}">${l}</span> `;
          })}`,
    )}</pre>`;
}
