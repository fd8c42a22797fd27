import { html, raw, type Html } from '../html.js';
import { layout, type PageContext } from '../layout.js';
import type { DeploymentMetrics, MonthMetrics } from '../../core/metrics.js';

const show = (x: number | null | undefined) => (x === null || x === undefined ? '–' : String(x));

/** JSON inside a data block: `<` escaped so no text can close the script element. */
const jsonData = (value: unknown) => raw(JSON.stringify(value).replace(/</g, '\\u003c'));

/** Policy "Deployment Metrics": charts per month (chart.js, no inline script) and the same numbers as tables. */
export function metricsPage(
  page: PageContext,
  data: { deployments: DeploymentMetrics[]; months: MonthMetrics[] },
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
      <section aria-labelledby="months-title">
        <h2 id="months-title">Per month</h2>
        <table>
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
                  <td>${m.deployments}</td>
                  <td>${show(m.meanDurationMinutes)}</td>
                  <td>${m.totalDowntimeSeconds}</td>
                  <td>${m.issues}</td>
                  <td>${show(m.meanHoursToResolution)}</td>
                  <td>${show(m.meanSatisfaction)}</td>
                  <td>${m.rollbacks}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="per-title">
        <h2 id="per-title">Per deployment</h2>
        <table>
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
                  <td>${m.month}</td>
                  <td>${m.state}</td>
                  <td>${show(m.durationMinutes)}</td>
                  <td>${show(m.downtimeSeconds)}</td>
                  <td>${m.issues}</td>
                  <td>${m.openIssues}</td>
                  <td>${show(m.meanHoursToResolution)}</td>
                  <td>${show(m.satisfaction)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </section>
      <p><a href="/review">Monthly review</a></p>`,
    { scripts: ['/vendor/chart.umd.min.js', '/assets/charts.js'], current: '/metrics' },
  );
}
