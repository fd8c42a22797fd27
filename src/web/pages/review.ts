import { html, type Html } from '../html.js';
import { layout, type PageContext } from '../layout.js';
import type { monthlyReview } from '../../core/metrics.js';
import type { LessonHit } from '../../core/lessons.js';

/** Policy "Continuous Improvement": the monthly review and the lessons-learned search. */
export function reviewPage(
  page: PageContext,
  review: ReturnType<typeof monthlyReview>,
  lessons: { query: string; hits: LessonHit[] },
): Html {
  return layout(
    `Review ${review.month}`,
    page,
    html`<h1>Monthly deployment review</h1>
      <form class="filter" method="get" action="/review">
        <label for="month">Month</label>
        <input id="month" name="month" value="${review.month}" pattern="\\d{4}-\\d{2}" />
        <button type="submit">Show</button>
      </form>
      <section aria-labelledby="rv-dep">
        <h2 id="rv-dep">Deployments in ${review.month}: ${review.deployments.length}</h2>
        <ul>
          ${review.deployments.map((d) => html`<li><a href="/deployments/${d.id}">${d.id}</a> ${d.state}, issues ${d.issues}, satisfaction ${d.satisfaction ?? '–'}</li>`)}
        </ul>
      </section>
      <section aria-labelledby="rv-rb">
        <h2 id="rv-rb">Rollbacks: ${review.rollbacks.length}</h2>
        <ul>
          ${review.rollbacks.map((r) => html`<li>${r.deploymentId} ${r.at} ${r.trigger}: ${r.reason}${r.rootCause ? ` (root cause: ${r.rootCause})` : ''}</li>`)}
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
          <input type="hidden" name="month" value="${review.month}" /><label for="q">Search lessons</label>
          <input id="q" name="q" type="search" value="${lessons.query}" />
          <button type="submit">Search</button>
        </form>
        <ul>
          ${(lessons.query ? lessons.hits : review.lessons.map((l) => ({ ...l, client: '' }))).map((l) => html`<li><a href="/deployments/${l.deploymentId}">${l.deploymentId}</a> ${l.at.slice(0, 10)} ${l.by}: ${l.text} ${l.tags.length ? html`<small>[${l.tags.join(', ')}]</small>` : ''}</li>`)}
        </ul>
      </section>`,
    { current: '/review' },
  );
}
