import type { Page } from 'playwright-core';
import { siteContext } from '../browser.js';
import { result, type CheckResult, type VerifyCheck } from '../check.js';

/**
 * Verification "User login successful" and "Dashboard displays correctly", in Chromium: type the admin's
 * credentials into Dolibarr's login form (form#login, #username, #password), submit, and look at the home
 * page as a user would — no setup-incomplete redirect, no PHP error text, no script error, no failed
 * resource, a logout link (htdocs/main.inc.php top menu).
 */
const phpErrors = /(Fatal error|Parse error|Warning: |Notice: |Deprecated: |Uncaught |DB_ERROR)/;

async function problemsOf(page: Page, scriptErrors: string[], failed: string[]): Promise<string[]> {
  const text = await page
    .locator('body')
    .innerText()
    .catch(() => '');
  const url = page.url();
  const problems: string[] = [];
  if (/setupnotcomplete/.test(url))
    problems.push('home redirects to the setup page (company name/country not set)');
  const php = phpErrors.exec(text);
  if (php) problems.push(`the page shows "${text.slice(php.index, php.index + 80).split('\n')[0]}"`);
  if (scriptErrors.length > 0) problems.push(`script errors: ${scriptErrors.slice(0, 2).join('; ')}`);
  if (failed.length > 0) problems.push(`resources failed: ${failed.slice(0, 3).join(', ')}`);
  return problems;
}

export const browserLoginCheck: VerifyCheck = {
  id: 'browser-login',
  item: 'verify.login',
  title: 'Login and dashboard in Chromium',
  async run(ctx) {
    const context = await siteContext(await ctx.browser(), ctx.site);
    try {
      const page = await context.newPage();
      const scriptErrors: string[] = [];
      const failed: string[] = [];
      page.on('pageerror', (e) => scriptErrors.push(e.message));
      page.on('response', (r) => {
        if (r.status() >= 400) failed.push(`${new URL(r.url()).pathname} ${r.status()}`);
      });
      const started = Date.now();
      await page.goto(new URL('index.php', `${ctx.site.url.replace(/\/$/, '')}/`).href, { timeout: 30_000 });
      await page.locator('form#login').waitFor({ timeout: 15_000 });
      await page.fill('#username', ctx.plan.admin.login);
      await page.fill('#password', ctx.secret(ctx.plan.admin.password.secret).reveal());
      await Promise.all([
        page.waitForLoadState('load'),
        page.locator('form#login [type=submit]').first().click(),
      ]);
      await page.waitForLoadState('networkidle', { timeout: 15_000 }).catch(() => {});
      const ms = Date.now() - started;
      const loggedIn =
        (await page.locator('a[href*="user/logout.php"]').count()) > 0 &&
        (await page.locator('form#login').count()) === 0;
      const out: CheckResult[] = [];
      const who = ctx.plan.admin.login;
      if (!loggedIn) {
        const error = await page
          .locator('.error, .login_error, div.error')
          .first()
          .innerText()
          .catch(() => '');
        out.push(
          result(
            'verify.login',
            'login.browser',
            'fail',
            `${who} not logged in after submitting the form (${page.url()})`,
            error || 'the login form came back',
          ),
        );
        out.push(
          result('verify.dashboard', 'dashboard.browser', 'fail', 'not reached', 'the login failed first'),
        );
        return out;
      }
      out.push(result('verify.login', 'login.browser', 'pass', `${who} logged in with Chromium in ${ms} ms`));
      const problems = await problemsOf(page, scriptErrors, failed);
      const title = await page.title();
      out.push(
        problems.length === 0
          ? result(
              'verify.dashboard',
              'dashboard.browser',
              'pass',
              `"${title}" rendered at ${new URL(page.url()).pathname}, no errors`,
            )
          : result(
              'verify.dashboard',
              'dashboard.browser',
              'fail',
              `"${title}" at ${page.url()}`,
              problems.join('; '),
            ),
      );
      return out;
    } finally {
      await context.close();
    }
  },
};
