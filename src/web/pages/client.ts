import { html, type Html } from '../html.js';
import { layout, type PageContext } from '../layout.js';
import type { DeploymentRecord } from '../../core/record.js';
import type { DeploymentMetrics } from '../../core/metrics.js';
import type { RunOutcomes } from '../../server/run-outcomes.js';
import { windowStartOf } from '../waiting.js';
import { formatWhen } from '../when.js';
import { troubleOf } from '../trouble.js';

const show = (x: number | null | undefined) => (x === null || x === undefined ? '–' : String(x));

/** One client: every deployment (newest window first) with its state, and the client's metrics. */
export function clientPage(
  page: PageContext,
  records: readonly DeploymentRecord[],
  metrics: { deployments: DeploymentMetrics[]; outcomes: RunOutcomes[] },
): Html {
  const name = records[0]!.plan.clientName;
  const sorted = [...records].sort((a, b) => (windowStartOf(b) ?? '').localeCompare(windowStartOf(a) ?? ''));
  const scores = metrics.deployments.map((m) => m.satisfaction).filter((x): x is number => x !== null);
  const failed = metrics.outcomes.reduce((a, o) => a + o.failedRuns, 0);
  const rolled = metrics.outcomes.reduce((a, o) => a + o.rolledBack, 0);
  return layout(
    name,
    page,
    html`<h1>${name} <small>(${records[0]!.client})</small></h1>
      <p id="client-summary">
        ${records.length} deployment${records.length === 1 ? '' : 's'}; mean satisfaction
        ${scores.length ? (scores.reduce((a, b) => a + b, 0) / scores.length).toFixed(1) : '–'}; ${failed}
        failed run${failed === 1 ? '' : 's'}; ${rolled} rollback${rolled === 1 ? '' : 's'}.
        <a href="/board?client=${records[0]!.client}">On the board</a>
      </p>
      <table class="stack" id="client-deployments">
        <caption class="sr-only">
          Deployments of ${name}
        </caption>
        <thead>
          <tr>
            <th scope="col">Deployment</th>
            <th scope="col">Kind</th>
            <th scope="col">State</th>
            <th scope="col">Window</th>
            <th scope="col">Duration (min)</th>
            <th scope="col">Issues</th>
            <th scope="col">Satisfaction</th>
          </tr>
        </thead>
        <tbody>
          ${sorted.map((r) => {
            const m = metrics.deployments.find((x) => x.id === r.id);
            const trouble = troubleOf(r);
            const start = windowStartOf(r);
            return html`<tr>
              <th scope="row"><a href="/deployments/${r.id}">${r.id}</a></th>
              <td data-label="Kind">${r.kind} · ${r.environment}</td>
              <td data-label="State">
                <span class="state state-${r.state}">${r.state}</span>
                ${trouble ? html`<span class="bad-mark"><span aria-hidden="true">✖</span> ${trouble}</span>` : ''}
              </td>
              <td data-label="Window">${start ? formatWhen(start, r.plan.window?.timezone) : 'not set'}</td>
              <td data-label="Duration (min)">${show(m?.durationMinutes)}</td>
              <td data-label="Issues">${m ? `${m.issues} (${m.openIssues} open)` : ''}</td>
              <td data-label="Satisfaction">${show(m?.satisfaction)}</td>
            </tr>`;
          })}
        </tbody>
      </table>`,
  );
}
