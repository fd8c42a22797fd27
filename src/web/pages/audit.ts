import { html, type Html } from '../html.js';
import { layout, type PageContext } from '../layout.js';
import type { AuditEntry } from '../../audit/entry.js';
import type { auditStatus } from '../../server/routes-api-reports.js';
import { auditTable } from '../sections/audit-trail.js';

/** The audit chain's status (verified on every view) and its newest entries. */
export function auditPage(
  page: PageContext,
  status: Awaited<ReturnType<typeof auditStatus>>,
  entries: AuditEntry[],
): Html {
  const newest = entries.slice(-200).reverse();
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
        <h2 id="entries-title">Newest entries</h2>
        ${auditTable(newest, `${newest.length} newest of ${entries.length}`, true)}
      </section>`,
    { current: '/audit' },
  );
}
