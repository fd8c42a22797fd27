import { html, raw, type Html } from '../html.js';
import { layout, type PageContext } from '../layout.js';
import type { DeploymentMetrics, MonthMetrics } from '../../core/metrics.js';
import type { RunOutcomes } from '../../server/run-outcomes.js';

const show = (x: number | null | undefined) => (x === null || x === undefined ? '–' : String(x));

/** JSON inside a data block: `<` escaped so no text can close the script element. */
const jsonData = (value: unknown) => raw(JSON.stringify(value).replace(/</g, '\\u003c'));

/** Policy "Deployment Metrics": charts per month (chart.js, no inline script) and the same numbers as tables. */
export function metricsPage(
  page: PageContext,
  data: { deployments: DeploymentMetrics[]; months: MonthMetrics[]; outcomes: RunOutcomes[] },
): Html {
  const charts = [
    ['duration', 'Mean deployment duration (minutes)'],
    ['downtime', 'Downtime (seconds)'],
    ['issues', 'Issues'],
    ['ttr', 'Mean time to resolution (hours)'],
    ['satisfaction', 'Mean client satisfaction'],
  ];
  return layout(
    'Metrics',
    page,
    html`<h1>Deployment metrics</h1>
      <script type="application/json" id="metrics-data">
        ${jsonData(data.months)}
      </script>
      <div class="charts">
        ${charts.map(
          ([id, title]) =>
            html`<figure class="chart">
              <figcaption id="chart-${id}-title">${title}</figcaption>
              <canvas
                id="chart-${id}"
                role="img"
                aria-labelledby="chart-${id}-title"
                width="480"
                height="240"
              ></canvas>
            </figure>`,
        )}
      </div>
      <section aria-labelledby="outcomes-title">
        <h2 id="outcomes-title">Runs: successful, failed and rolled back</h2>
        <p class="hint">The mean is of successful runs only; failed runs and rollbacks are counted apart.</p>
        <table class="stack" id="run-outcomes">
          <caption class="sr-only">
            Run outcomes per month
          </caption>
          <thead>
            <tr>
              <th scope="col">Month</th>
              <th scope="col">Successful runs</th>
              <th scope="col">Mean of successful runs (min)</th>
              <th scope="col">Failed runs</th>
              <th scope="col">Rolled back</th>
            </tr>
          </thead>
          <tbody>
            ${data.outcomes.map(
              (o) =>
                html`<tr data-month="${o.month}">
                  <th scope="row">${o.month}</th>
                  <td data-label="Successful runs">${o.succeededRuns}</td>
                  <td data-label="Mean of successful runs (min)" class="mean-ok">
                    ${show(o.meanSucceededMinutes)}
                  </td>
                  <td data-label="Failed runs" class="failed-runs">${o.failedRuns}</td>
                  <td data-label="Rolled back" class="rolled-back">${o.rolledBack}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="months-title">
        <h2 id="months-title">Per month</h2>
        <table class="stack">
          <caption class="sr-only">
            Metrics per month
          </caption>
          <thead>
            <tr>
              <th scope="col">Month</th>
              <th scope="col">Deployments</th>
              <th scope="col">Mean duration (min)</th>
              <th scope="col">Downtime (s)</th>
              <th scope="col">Issues</th>
              <th scope="col">Mean TTR (h)</th>
              <th scope="col">Mean satisfaction</th>
              <th scope="col">Rollbacks</th>
            </tr>
          </thead>
          <tbody>
            ${data.months.map(
              (m) =>
                html`<tr>
                  <th scope="row">${m.month}</th>
                  <td data-label="Deployments">${m.deployments}</td>
                  <td data-label="Mean duration (min)">${show(m.meanDurationMinutes)}</td>
                  <td data-label="Downtime (s)">${m.totalDowntimeSeconds}</td>
                  <td data-label="Issues">${m.issues}</td>
                  <td data-label="Mean TTR (h)">${show(m.meanHoursToResolution)}</td>
                  <td data-label="Mean satisfaction">${show(m.meanSatisfaction)}</td>
                  <td data-label="Rollbacks">${m.rollbacks}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="per-title">
        <h2 id="per-title">Per deployment</h2>
        <table class="stack">
          <caption class="sr-only">
            Metrics per deployment
          </caption>
          <thead>
            <tr>
              <th scope="col">Deployment</th>
              <th scope="col">Month</th>
              <th scope="col">State</th>
              <th scope="col">Duration (min)</th>
              <th scope="col">Downtime (s)</th>
              <th scope="col">Issues</th>
              <th scope="col">Open</th>
              <th scope="col">TTR (h)</th>
              <th scope="col">Satisfaction</th>
            </tr>
          </thead>
          <tbody>
            ${data.deployments.map(
              (m) =>
                html`<tr>
                  <th scope="row"><a href="/deployments/${m.id}">${m.id}</a></th>
                  <td data-label="Month">${m.month}</td>
                  <td data-label="State">${m.state}</td>
                  <td data-label="Duration (min)">${show(m.durationMinutes)}</td>
                  <td data-label="Downtime (s)">${show(m.downtimeSeconds)}</td>
                  <td data-label="Issues">${m.issues}</td>
                  <td data-label="Open">${m.openIssues}</td>
                  <td data-label="TTR (h)">${show(m.meanHoursToResolution)}</td>
                  <td data-label="Satisfaction">${show(m.satisfaction)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </section>
      <p><a href="/review">Monthly review</a></p>`,
    { scripts: ['/vendor/chart.umd.min.js', '/assets/charts.js'], current: '/metrics' },
  );
}
