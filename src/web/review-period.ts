import { parseReviewPeriod, type ReviewPeriod } from '../core/review.js';

/**
 * The period a review page shows, from its query: `period` (2026-11, 2026-Q4, 2026), or the older `month`;
 * nothing given is the current month; anything else is said back (refused) and the current month shown.
 */
export function reviewPeriodOf(
  q: { period?: string; month?: string },
  now: Date,
): { period: ReviewPeriod; refused?: string } {
  const text = q.period ?? q.month;
  const current = parseReviewPeriod(now.toISOString().slice(0, 7))!;
  if (text === undefined || text.trim() === '') return { period: current };
  const period = parseReviewPeriod(text);
  return period ? { period } : { period: current, refused: text.slice(0, 40) };
}

/** The month, quarter and year a review can switch to from this period (the one shown, or its last month). */
export function periodChoices(p: ReviewPeriod): ReviewPeriod[] {
  const month = p.months.at(-1)!;
  const [year, m] = month.split('-') as [string, string];
  const quarter = `${year}-Q${Math.floor((Number(m) - 1) / 3) + 1}`;
  return [month, quarter, year].map((label) => parseReviewPeriod(label)!);
}
