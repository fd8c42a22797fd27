import { describe, expect, it } from 'vitest';
import { chartMonths, parseReviewPeriod, periodReview, trendOf } from '../../src/core/review.js';
import { reviewHtml } from '../../src/reports/review-html.js';
import type { DeploymentRecord } from '../../src/core/record.js';
import { newRecord } from '../helpers/records.js';

/** Issue 16 "Reviews": the HTML review shows the trends as charts (inline SVG), every month of the period. */
const inMonth = (month: string, id: string, satisfaction?: number): DeploymentRecord => ({
  ...newRecord(),
  id, // not a slug in one of them: the document escapes it
  createdAt: `${month}-10T10:00:00Z`,
  ...(satisfaction ? { satisfaction: { score: satisfaction, by: 'carla', at: `${month}-20T10:00:00Z` } } : {}),
});
const records = [inMonth('2026-10', 'a-1', 4), inMonth('2026-12', 'b-1', 5), inMonth('2026-12', 'b-2<x>', 3)];

const bars = (svg: string) => [...svg.matchAll(/<rect class="bar"[^>]*height="([\d.]+)"[^>]*><title>([^<]*)<\/title>/g)].map((m) => [m[2]!, Number(m[1])] as const);

describe('review charts', () => {
  it('a quarter charts its three months, an empty month as zero or none', () => {
    const period = parseReviewPeriod('2026-Q4')!;
    const trend = trendOf(records, chartMonths(period));
    expect(trend.map((m) => [m.month, m.deployments, m.meanSatisfaction])).toEqual([['2026-10', 1, 4], ['2026-11', 0, null], ['2026-12', 2, 4]]);
    const html = reviewHtml(periodReview(records, period), trend, new Date('2027-01-05T09:00:00Z'));
    expect(html).toContain('<h1>Quarterly process review 2026-Q4</h1>');
    const charts = html.split('<figure class="chart">').slice(1);
    expect(charts).toHaveLength(6);
    const deployments = bars(charts[0]!);
    expect(deployments.map(([t]) => t)).toEqual(['2026-10: 1 count', '2026-11: 0 count', '2026-12: 2 count']);
    // heights in proportion: the tallest bar is the plot height, half the value is half of it
    expect(deployments[2]![1]).toBeCloseTo(2 * deployments[0]![1], 1);
    expect(deployments[1]![1]).toBe(0);
    expect(bars(charts[5]!).map(([t]) => t)).toEqual(['2026-10: 4 1-5', '2026-11: – 1-5', '2026-12: 4 1-5']);
    expect(charts[0]).toContain('aria-label="Deployments: 2026-10: 1 count, 2026-11: 0 count, 2026-12: 2 count"');
    expect(html).toContain('b-2&lt;x&gt;');
    expect(html).not.toContain('b-2<x>');
    expect(html).not.toMatch(/<script/i);
  });

  it('a month charts the six months up to it; a year its twelve', () => {
    expect(chartMonths(parseReviewPeriod('2027-02')!)).toEqual(['2026-09', '2026-10', '2026-11', '2026-12', '2027-01', '2027-02']);
    expect(chartMonths(parseReviewPeriod('2026')!)).toHaveLength(12);
  });
});
