import { chartMonths, trendOf, type periodReview, type ReviewPeriod } from '../../core/review.js';
import type { DeploymentRecord } from '../../core/record.js';
import { reviewHtml } from '../../reports/review-html.js';
import { writeDocument } from '../../reports/write.js';

/** `review PERIOD --html DIR [--pdf]`: the review with its trend charts, as HTML (and PDF). */
export async function writeReviewDocument(
  dir: string,
  review: ReturnType<typeof periodReview>,
  records: readonly DeploymentRecord[],
  period: ReviewPeriod,
  now: Date,
  pdf: boolean,
) {
  const html = reviewHtml(review, trendOf(records, chartMonths(period)), now);
  return writeDocument(dir, `review-${period.label}`, html, { pdf, footer: `mokodeploy review ${period.label}` });
}
