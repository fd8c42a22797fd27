import type { CommandModule } from './module.js';
import { metricsByMonth, metricsOf } from '../../core/metrics.js';
import { parseReviewPeriod, periodReview } from '../../core/review.js';
import { renderReview } from '../render/review.js';
import { writeReviewDocument } from '../render/review-document.js';
import { renderTable } from '../../app/output.js';
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
      .command('review <period>')
      .description(
        'the deployment review of a month (YYYY-MM), a quarter (YYYY-Qn) or a year (YYYY): deployments, metrics and their trend, rollbacks, window exceptions, open issues, lessons',
      )
      .option('--html <dir>', 'also write the review as a document with trend charts: <dir>/review-<period>.html')
      .option('--pdf', 'with --html: a PDF beside it (Chromium)')
      .action(async (text: string, o: { html?: string; pdf?: boolean }) => {
        const period = parseReviewPeriod(text);
        if (!period)
          throw refused(`"${text}" is not a review period`, {
            fix: 'give a month (2026-11), a quarter (2026-Q4) or a year (2026)',
          });
        const records = await (await app().store()).all();
        const review = periodReview(records, period);
        const written = o.html ? await writeReviewDocument(o.html, review, records, period, app().now(), o.pdf === true) : undefined;
        app().out.result(written ? { ...review, written } : review, () =>
          [renderReview(review), ...(written ? [`written: ${[written.html, written.pdf].filter(Boolean).join(', ')}`] : [])].join('\n'),
        );
      });
  },
};
