import { html, type Html } from '../html.js';
import type { DeploymentRecord } from '../../core/record.js';
import type { ActionForm } from '../action-forms.js';

/** The issue log (policy "Issue Management"), with the forms the person may use. */
export function issuesSection(
  record: DeploymentRecord,
  actions: ActionForm[],
  render: (a: ActionForm) => Html,
): Html {
  return html`<section aria-labelledby="issues-title">
    <h2 id="issues-title">Issue log</h2>
    ${
      record.issues.length === 0
        ? html`<p class="muted">No issues logged.</p>`
        : html`<table class="stack">
            <caption class="sr-only">
              Issues
            </caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Title</th>
                <th scope="col">Severity</th>
                <th scope="col">Opened</th>
                <th scope="col">Resolved</th>
              </tr>
            </thead>
            <tbody>
              ${record.issues.map(
                (i) =>
                  html`<tr>
                    <td data-label="#">${i.id}</td>
                    <th scope="row">${i.title}</th>
                    <td data-label="Severity">${i.severity}</td>
                    <td data-label="Opened">${i.openedBy}, ${i.openedAt}</td>
                    <td data-label="Resolved">
                      ${i.resolvedAt ? `${i.resolvedBy}, ${i.resolvedAt}: ${i.resolution ?? ''}` : html`<strong>open</strong>`}
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    <div class="actions">${actions.map(render)}</div>
  </section>`;
}
