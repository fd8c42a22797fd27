import { html, raw, type Html } from '../html.js';
import { layout, type PageContext } from '../layout.js';
import type { LessonHit } from '../../core/lessons.js';
import type { MonthMetrics } from '../../core/metrics.js';
import type { periodReview, ReviewPeriod } from '../../core/review.js';
import { reviewTitles, trendCharts } from '../../reports/review-html.js';
import { periodChoices } from '../review-period.js';

const show = (x: number | null | undefined) => (x === null || x === undefined ? '–' : String(x));

export interface ReviewPageData {
  period: ReviewPeriod;
  review: ReturnType<typeof periodReview>;
  /** One row per chart month (the period's, or the six months up to a month): the CLI's `review --html` charts. */
  trend: readonly MonthMetrics[];
  /** What was typed when it was no review period (the page then shows the current month). */
  refused?: string;
  lessons: { query: string; hits: LessonHit[] };
}

/** Policy "Continuous Improvement — Regular reviews": a month, quarter or year with its trend charts; lessons search. */
export function reviewPage(page: PageContext, d: ReviewPageData): Html {
  const { review, period } = d;
  const t = review.totals;
  return layout(
    `Review ${review.period}`,
    page,
    html`<h1>${reviewTitles[review.kind]}</h1>
      <nav class="period-kinds" aria-label="Review period">
        ${periodChoices(period).map(
          (c) =>
            html`<a
              href="/review?period=${c.label}"
              ${c.kind === period.kind ? raw('aria-current="page"') : ''}
              >${c.kind === 'month' ? 'Month' : c.kind === 'quarter' ? 'Quarter' : 'Year'} ${c.label}</a
            >`,
        )}
      </nav>
      <form class="filter" method="get" action="/review">
        <label for="period">Period</label>
        <input
          id="period"
          name="period"
          value="${d.refused ?? review.period}"
          pattern="\\d{4}(-(0[1-9]|1[0-2]|[Qq][1-4]))?"
          aria-describedby="period-hint${d.refused ? ' period-error' : ''}"
          ${d.refused ? raw('aria-invalid="true"') : ''}
        />
        <small id="period-hint">a month (2026-11), a quarter (2026-Q4) or a year (2026)</small>
        <button type="submit">Show</button>
        ${
          d.refused
            ? html`<p class="error" id="period-error">
                “${d.refused}” is not a review period: showing ${review.period}
              </p>`
            : ''
        }
      </form>
      <section aria-labelledby="rv-tot">
        <h2 id="rv-tot">${review.period}: ${review.deployments.length} deployments</h2>
        <p>
          Mean duration ${show(t?.meanDurationMinutes)} min, downtime ${show(t?.totalDowntimeSeconds)} s,
          issues ${show(t?.issues)}, rollbacks ${review.rollbacks.length}, window exceptions
          ${review.windowExceptions.length}, mean satisfaction ${show(t?.meanSatisfaction)}
        </p>
        <ul>
          ${review.deployments.map(
            (x) =>
              html`<li>
                <a href="/deployments/${x.id}">${x.id}</a> ${x.state}, issues ${x.issues}, satisfaction
                ${x.satisfaction ?? '–'}
              </li>`,
          )}
        </ul>
      </section>
      <section aria-labelledby="rv-tr">
        <h2 id="rv-tr">Trends, ${d.trend[0]?.month ?? ''} to ${d.trend.at(-1)?.month ?? ''}</h2>
        <div class="charts review-charts">${raw(trendCharts(d.trend))}</div>
      </section>
      <section aria-labelledby="rv-rb">
        <h2 id="rv-rb">Rollbacks: ${review.rollbacks.length}</h2>
        <ul>
          ${review.rollbacks.map(
            (r) =>
              html`<li>
                ${r.deploymentId} ${r.at} ${r.trigger}:
                ${r.reason}${r.rootCause ? ` (root cause: ${r.rootCause})` : ''}
              </li>`,
          )}
        </ul>
      </section>
      <section aria-labelledby="rv-wx">
        <h2 id="rv-wx">Window exceptions: ${review.windowExceptions.length}</h2>
        <ul>
          ${review.windowExceptions.map(
            (e) =>
              html`<li>
                ${e.deploymentId} ${e.at} ${e.by}: ${e.emergency ? 'emergency' : `${e.start} - ${e.end}`},
                ${e.reason}
              </li>`,
          )}
        </ul>
      </section>
      <section aria-labelledby="rv-oi">
        <h2 id="rv-oi">Open issues: ${review.openIssues.length}</h2>
        <ul>
          ${review.openIssues.map((i) => html`<li>${i.deploymentId} #${i.id} [${i.severity}] ${i.title}</li>`)}
        </ul>
      </section>
      <section aria-labelledby="rv-ls">
        <h2 id="rv-ls">Lessons learned</h2>
        <form class="filter" method="get" action="/review">
          <input type="hidden" name="period" value="${review.period}" /><label for="q">Search lessons</label>
          <input id="q" name="q" type="search" value="${d.lessons.query}" />
          <button type="submit">Search</button>
        </form>
        <ul>
          ${(d.lessons.query ? d.lessons.hits : review.lessons.map((l) => ({ ...l, client: '' }))).map(
            (l) =>
              html`<li>
                <a href="/deployments/${l.deploymentId}">${l.deploymentId}</a> ${l.at.slice(0, 10)} ${l.by}:
                ${l.text} ${l.tags.length ? html`<small>[${l.tags.join(', ')}]</small>` : ''}
              </li>`,
          )}
        </ul>
      </section>`,
    { current: '/review' },
  );
}
