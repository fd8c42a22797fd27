import type { CommandModule } from './module.js';
import { metricsByMonth, metricsOf, monthlyReview } from '../../core/metrics.js';
import { renderTable } from '../output.js';
import { refused } from '../../core/errors.js';

const show = (x: number | null | undefined) => (x === null || x === undefined ? '-' : String(x));

export const metricsCommands: CommandModule = {
  register(program, app) {
    program
      .command('metrics')
      .description('deployment metrics per deployment and per month (policy "Deployment Metrics")')
      .option('--client <client>', 'only this client')
      .action(async (o: { client?: string }) => {
        const records = (await (await app().store()).all()).filter((r) => !o.client || r.client === o.client);
        const per = records.map(metricsOf);
        const months = metricsByMonth(per);
        app().out.result({ deployments: per, months }, () =>
          [
            renderTable(
              [
                'DEPLOYMENT',
                'MONTH',
                'STATE',
                'DURATION min',
                'DOWNTIME s',
                'ISSUES',
                'OPEN',
                'TTR h',
                'SAT',
                'ROLLBACKS',
              ],
              per.map((m) => [
                m.id,
                m.month,
                m.state,
                show(m.durationMinutes),
                show(m.downtimeSeconds),
                String(m.issues),
                String(m.openIssues),
                show(m.meanHoursToResolution),
                show(m.satisfaction),
                String(m.rollbacks),
              ]),
            ),
            '',
            renderTable(
              [
                'MONTH',
                'DEPLOYMENTS',
                'MEAN DURATION min',
                'DOWNTIME s',
                'ISSUES',
                'MEAN TTR h',
                'MEAN SAT',
                'ROLLBACKS',
              ],
              months.map((m) => [
                m.month,
                String(m.deployments),
                show(m.meanDurationMinutes),
                show(m.totalDowntimeSeconds),
                String(m.issues),
                show(m.meanHoursToResolution),
                show(m.meanSatisfaction),
                String(m.rollbacks),
              ]),
            ),
          ].join('\n'),
        );
      });
    program
      .command('review <month>')
      .description(
        'the monthly deployment review (YYYY-MM): deployments, metrics, rollbacks, open issues, lessons',
      )
      .action(async (month: string) => {
        if (!/^\d{4}-\d{2}$/.test(month))
          throw refused(`"${month}" is not a month`, { fix: 'give it as YYYY-MM, e.g. 2026-11' });
        const review = monthlyReview(await (await app().store()).all(), month);
        app().out.result(review, () =>
          [
            `Monthly deployment review ${month}`,
            `deployments: ${review.deployments.length}${review.totals ? `; mean duration ${show(review.totals.meanDurationMinutes)} min; downtime ${review.totals.totalDowntimeSeconds} s; issues ${review.totals.issues}; mean satisfaction ${show(review.totals.meanSatisfaction)}` : ''}`,
            ...review.deployments.map(
              (d) => `  ${d.id} ${d.state} issues ${d.issues} satisfaction ${show(d.satisfaction)}`,
            ),
            `rollbacks: ${review.rollbacks.length}`,
            ...review.rollbacks.map(
              (r) =>
                `  ${r.deploymentId} ${r.at} ${r.trigger}: ${r.reason}${r.rootCause ? ` (root cause: ${r.rootCause})` : ''}`,
            ),
            `open issues: ${review.openIssues.length}`,
            ...review.openIssues.map((i) => `  ${i.deploymentId} #${i.id} [${i.severity}] ${i.title}`),
            `lessons learned: ${review.lessons.length}`,
            ...review.lessons.map((l) => `  ${l.deploymentId}: ${l.text}`),
          ].join('\n'),
        );
      });
  },
};
