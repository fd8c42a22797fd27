import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, password, type Dashboard } from './helpers/dashboard.js';
import { seedDeployment } from './helpers/walk.js';
import { logIn, openBrowser, screenshot } from './helpers/browser.js';
import { controlsOutsideForms, horizontalOverflow, seriousAxeViolations } from './helpers/axe.js';

/**
 * The dashboard's review (issue 21 defect): a month, a quarter or a year, chosen on the page, with the trend charts
 * the CLI's `review PERIOD --html` draws (src/reports/trend-chart.ts, inline SVG), record text escaped, usable at
 * 390 px and on a desktop with no serious axe-core violation.
 */
let d: Dashboard;
let b: Awaited<ReturnType<typeof openBrowser>>;
const hostile = '<img src=x onerror=alert(1)> & "quotes"';
let month: string;

beforeAll(async () => {
  d = await startDashboard();
  month = d.app.now().toISOString().slice(0, 7);
  const a = await seedDeployment(d.app, d.planYaml({ id: 'alpha-2026-12', client: 'alpha' }), 'approved');
  await seedDeployment(d.app, d.planYaml({ id: 'beta-2026-12', client: 'beta' }), 'submitted');
  await d.app.act(a, 'lesson', { text: hostile, tags: ['test'] }, 'tina');
  b = await openBrowser();
  await logIn(b.page, d.url, 'carla', password('carla'));
}, 240_000);
afterAll(async () => {
  await b?.close();
  await d?.close();
});

const url = (path: string) => new URL(path, d.url).href;
const desktop = { width: 1366, height: 900 };
const phone = { width: 390, height: 844 };
const year = () => month.slice(0, 4);
const quarter = () => `${year()}-Q${Math.floor((Number(month.slice(5)) - 1) / 3) + 1}`;

/** Each chart's title and its bars' labels (the months), read from the SVG as the browser has it. */
const charts = () =>
  b.page.locator('.review-charts svg').evaluateAll((svgs) =>
    svgs.map((s) => ({
      title: s.querySelector('title')?.textContent ?? '',
      months: [...s.querySelectorAll('rect.bar title')].map((t) => (t.textContent ?? '').split(':')[0]),
      label: s.getAttribute('aria-label') ?? '',
    })),
  );

describe('the review page: month, quarter, year with trend charts', { timeout: 180_000 }, () => {
  it('a month: the six months up to it charted, its deployments counted', async () => {
    await b.page.setViewportSize(desktop);
    await b.page.goto(url('/review'));
    expect(await b.page.getByRole('heading', { level: 1 }).textContent()).toBe('Monthly deployment review');
    const shown = await charts();
    expect(shown.map((c) => c.title)).toEqual([
      'Deployments',
      'Mean deployment duration',
      'Downtime',
      'Issues',
      'Rollbacks',
      'Mean client satisfaction',
    ]);
    for (const c of shown) expect(c.months).toHaveLength(6);
    expect(shown[0]!.months.at(-1)).toBe(month);
    expect(shown[0]!.label).toContain(`${month}: 2 count`);
    await screenshot(b.page, 'review-month');
  });

  it('the selector switches to the quarter and the year (3 and 12 months)', async () => {
    await b.page
      .getByRole('navigation', { name: 'Review period' })
      .getByRole('link', { name: /^Quarter/ })
      .click();
    await b.page.waitForURL((u) => u.searchParams.get('period') === quarter());
    expect(await b.page.getByRole('heading', { level: 1 }).textContent()).toBe('Quarterly process review');
    expect((await charts())[0]!.months).toHaveLength(3);
    await b.page
      .getByRole('navigation', { name: 'Review period' })
      .getByRole('link', { name: /^Year/ })
      .click();
    await b.page.waitForURL((u) => u.searchParams.get('period') === year());
    expect(await b.page.getByRole('heading', { level: 1 }).textContent()).toBe('Annual review');
    const months = (await charts())[0]!.months;
    expect(months).toEqual(
      Array.from({ length: 12 }, (_, i) => `${year()}-${String(i + 1).padStart(2, '0')}`),
    );
    expect(await b.page.locator('.period-kinds [aria-current="page"]').textContent()).toContain(
      `Year ${year()}`,
    );
    // typed in the form
    await b.page.getByLabel('Period', { exact: true }).fill(`${year()}-01`);
    await b.page.getByRole('button', { name: 'Show' }).click();
    await b.page.waitForURL((u) => u.searchParams.get('period') === `${year()}-01`);
    expect((await charts())[0]!.months.at(-1)).toBe(`${year()}-01`);
  });

  it('record text is escaped; a period that is none is said back, the current month shown', async () => {
    await b.page.goto(url(`/review?period=${quarter()}`));
    expect(await b.page.locator('#rv-ls + form + ul li').first().textContent()).toContain(hostile);
    expect(await b.page.locator('img[src="x"]').count()).toBe(0);
    const r = await fetch(url('/review?period=%3Cscript%3E2026'), { headers: { cookie: await cookie() } });
    const text = await r.text();
    expect(r.status).toBe(200);
    expect(text).toContain('&lt;script&gt;2026” is not a review period: showing');
    expect(text).not.toContain('<script>2026');
  });

  it('usable at 390 px and on a desktop, no serious axe-core violation', async () => {
    for (const size of [desktop, phone])
      for (const path of ['/review', `/review?period=${quarter()}`, `/review?period=${year()}`]) {
        await b.page.setViewportSize(size);
        await b.page.goto(url(path));
        expect({ path, width: size.width, overflow: await horizontalOverflow(b.page) }).toMatchObject({
          overflow: 0,
        });
        expect({ path, width: size.width, outside: await controlsOutsideForms(b.page) }).toMatchObject({
          outside: [],
        });
        expect({ path, width: size.width, violations: await seriousAxeViolations(b.page) }).toMatchObject({
          violations: [],
        });
      }
    await screenshot(b.page, 'review-year-phone');
    const box = (await b.page.locator('.review-charts svg').first().boundingBox())!;
    expect(box.width).toBeLessThanOrEqual(390);
  });
});

async function cookie(): Promise<string> {
  const cookies = await b.context.cookies(d.url);
  return cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}
