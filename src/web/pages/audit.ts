import { html, type Html } from '../html.js';
import { layout, type PageContext } from '../layout.js';
import type { AuditEntry } from '../../audit/entry.js';
import type { auditStatus } from '../../server/routes-api-reports.js';
import { auditTable } from '../sections/audit-trail.js';
import { auditPageSize, filterAudit, type AuditFilter } from '../audit-filter.js';

function pageLink(f: AuditFilter, page: number): string {
  const q = new URLSearchParams();
  for (const k of ['deployment', 'actor', 'action', 'q'] as const) if (f[k]) q.set(k, f[k]!);
  if (f.refused) q.set('refused', 'on');
  q.set('page', String(page));
  return `/audit?${q.toString()}`;
}

/** The audit chain's status (verified on every view) and its entries, filtered and paged, newest first. */
export function auditPage(
  page: PageContext,
  status: Awaited<ReturnType<typeof auditStatus>>,
  entries: AuditEntry[],
  filter: AuditFilter,
): Html {
  const matching = filterAudit(entries, filter);
  const pages = Math.max(1, Math.ceil(matching.length / auditPageSize));
  const current = Math.min(filter.page, pages);
  const shown = matching.slice((current - 1) * auditPageSize, current * auditPageSize);
  const actors = [...new Set(entries.map((e) => e.actor))].sort();
  const deployments = [
    ...new Set(entries.map((e) => e.deploymentId).filter((x): x is string => Boolean(x))),
  ].sort();
  return layout(
    'Audit trail',
    page,
    html`<h1>Audit trail</h1>
      <section aria-labelledby="chain-title">
        <h2 id="chain-title">Chain status</h2>
        ${
          status.ok
            ? html`<p class="ok" id="chain-status">
                Intact: ${status.entries}
                entries${status.signaturesChecked ? ', every one signed by the audit key' : ''}, head
                <code>${(status.head ?? '-').slice(0, 16)}</code>.
              </p>`
            : html`<p class="error" id="chain-status" role="alert">
                  BROKEN: ${status.problems.length} problem(s) in ${status.entries} entries.
                </p>
                <ul>
                  ${status.problems.map((p) => html`<li>${p.message}</li>`)}
                </ul>`
        }
        <p><a href="/api/audit/export">Export the whole trail as JSON lines</a></p>
      </section>
      <section aria-labelledby="entries-title">
        <h2 id="entries-title">Entries</h2>
        <form class="filter" method="get" action="/audit" role="search" aria-label="Filter the audit trail">
          <p>
            <label for="a-deployment">Deployment</label>
            <select id="a-deployment" name="deployment">
              <option value="">any</option>
              ${deployments.map((d) => html`<option${d === filter.deployment ? html` selected` : ''}>${d}</option>`)}
            </select>
          </p>
          <p>
            <label for="a-actor">Person</label>
            <select id="a-actor" name="actor">
              <option value="">any</option>
              ${actors.map((a) => html`<option${a === filter.actor ? html` selected` : ''}>${a}</option>`)}
            </select>
          </p>
          <p>
            <label for="a-action">Action starts with</label>
            <input id="a-action" name="action" value="${filter.action ?? ''}" />
          </p>
          <p>
            <label for="a-q">Text</label> <input id="a-q" name="q" type="search" value="${filter.q ?? ''}" />
          </p>
          <p>
            <label for="a-refused">Refusals only</label>
            <input id="a-refused" name="refused" type="checkbox" ${filter.refused ? html` checked` : ''} />
          </p>
          <p class="filter-buttons"><button type="submit">Show</button></p>
        </form>
        ${auditTable(shown, `${matching.length} matching of ${entries.length}; page ${current} of ${pages}, newest first`, true)}
        <nav class="pager" aria-label="Audit pages">
          ${current > 1 ? html`<a href="${pageLink(filter, current - 1)}" rel="prev">← Newer</a>` : ''}
          <span id="audit-page">Page ${current} of ${pages}</span>
          ${current < pages ? html`<a href="${pageLink(filter, current + 1)}" rel="next">Older →</a>` : ''}
        </nav>
      </section>`,
    { current: '/audit' },
  );
}
