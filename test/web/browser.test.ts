import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Journal } from '../../src/runner/journal.js';
import { startDashboard, password, type Dashboard } from './helpers/dashboard.js';
import { seedDeployment } from './helpers/walk.js';
import { logIn, logOut, openBrowser, screenshot } from './helpers/browser.js';
import { accessibilityProblems } from './helpers/a11y.js';

let d: Dashboard;
let b: Awaited<ReturnType<typeof openBrowser>>;
const ids = { approved: '', signoff: '', live: '' };

beforeAll(async () => {
  d = await startDashboard();
  ids.approved = await seedDeployment(d.app, d.planYaml({ id: 'acme-2026-12' }), 'approved');
  ids.signoff = await seedDeployment(
    d.app,
    d.planYaml({ id: 'globex-2026-12', client: 'globex', clientName: 'Globex SA' }),
    'awaiting-signoff',
  );
  ids.live = await seedDeployment(
    d.app,
    d.planYaml({ id: 'initech-2026-11', client: 'initech', clientName: 'Initech' }),
    'live',
  );
  await seedDeployment(
    d.app,
    d.planYaml({ id: 'umbrella-2027-01', client: 'umbrella', clientName: 'Umbrella' }),
    'submitted',
  );
  b = await openBrowser();
}, 180_000);
afterAll(async () => {
  await b?.close();
  await d?.close();
});

const url = (path: string) => new URL(path, d.url).href;

describe('dashboard in Chromium', { timeout: 150_000 }, () => {
  it('logs in through the form and shows the board by state and client', async () => {
    const { page } = b;
    await page.goto(url('/'));
    expect(new URL(page.url()).pathname).toBe('/login');
    await screenshot(page, 'login');
    await page.getByLabel('Login').fill('carla');
    await page.getByLabel('Password').fill('wrong password here');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('wrong login or password');
    await logIn(page, d.url, 'carla', password('carla'));
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Waiting for Carla Success');
    await page.goto(url('/board'));
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Deployments');
    for (const state of ['approved', 'awaiting-signoff', 'live', 'submitted']) {
      await expect.poll(() => page.locator(`#col-${state}`).count()).toBe(1);
    }
    expect(
      await page
        .locator('.column', { has: page.locator('#col-live') })
        .getByRole('link')
        .textContent(),
    ).toBe('initech-2026-11');
    await screenshot(page, 'board');
    await page.getByLabel('Client').selectOption('globex');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => page.locator('.card').count()).toBe(1);
    await page.goto(url('/'));
  });

  it('ticks a checklist item with an uploaded evidence file', async () => {
    const { page } = b;
    await page.goto(url(`/deployments/${ids.approved}`));
    const row = page.locator('#item-uat-completed');
    expect(await row.getAttribute('data-done')).toBe('false');
    // carla (client success manager) sees no tick form for the QA item
    expect(await page.locator('#item-security-scan form').count()).toBe(0);
    const file = join(d.dir, 'uat-report.txt');
    writeFileSync(file, 'UAT: 42 scenarios passed, signed by Alice\n');
    await row.getByLabel('What shows it is done').fill('UAT signed by the client');
    await row.getByLabel('File').setInputFiles(file);
    await row.getByRole('button', { name: 'Tick' }).click();
    await page.waitForURL((u) => u.searchParams.get('done') === 'tick');
    await expect.poll(() => page.locator('#item-uat-completed').getAttribute('data-done')).toBe('true');
    expect(
      await page.locator('#item-uat-completed').getByRole('link', { name: 'uat-report.txt' }).count(),
    ).toBe(1);
    expect(await page.getByRole('status').textContent()).toContain('Checklist item ticked');
    await screenshot(page, 'deployment');
  });

  it('does not let QA give the technical sign-off (no form, API 403 audited); the technical lead can', async () => {
    const { page } = b;
    await logOut(page);
    await logIn(page, d.url, 'quinn', password('quinn'));
    await page.goto(url(`/deployments/${ids.signoff}`));
    expect(await page.getByRole('button', { name: 'Give the technical sign-off' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Authorise go-live' }).count()).toBe(0);
    // the same person calling the API from this page's session is refused by the core
    const status = await page.evaluate(async (id) => {
      const token = (document.querySelector('input[name="_csrf"]') as HTMLInputElement).value;
      const res = await fetch(`/api/deployments/${id}/operations/signoff`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': token },
        body: JSON.stringify({ kind: 'technical' }),
      });
      return { status: res.status, body: await res.json() };
    }, ids.signoff);
    expect(status.status).toBe(403);
    expect(status.body.error).toMatch(/quinn may not give the/);
    const last = (await (await d.app.store()).auditEntries()).at(-1)!;
    expect(last).toMatchObject({ actor: 'quinn', action: 'refused:signoff', deploymentId: ids.signoff });

    await logOut(page);
    await logIn(page, d.url, 'tina', password('tina'));
    await page.goto(url(`/deployments/${ids.signoff}`));
    await page.getByRole('button', { name: 'Give the technical sign-off' }).click();
    await page.waitForURL((u) => u.searchParams.get('done') === 'signoff-technical');
    await expect.poll(() => page.locator('#signoff-technical').textContent()).toContain('given by tina');
    expect(await page.getByRole('button', { name: 'Give the technical sign-off' }).count()).toBe(0);
    await screenshot(page, 'deployment-signoff');
  });

  it('validates the target from the deployment page and shows the findings', async () => {
    const { page } = b;
    await page.goto(url(`/deployments/${ids.approved}`));
    await page.getByRole('button', { name: 'Validate the target now' }).click();
    await page.waitForURL((u) => u.searchParams.get('done') === 'validate');
    const section = page.locator('section', { has: page.locator('#validation-title') });
    await expect.poll(() => section.locator('tbody tr').count()).toBeGreaterThan(5);
    expect(await section.textContent()).toMatch(/Newest of 1: .* on local, worst/);
  });

  it('shows run progress live as the runner appends to its journal', async () => {
    const { page } = b;
    await page.goto(url(`/deployments/${ids.approved}`));
    await expect.poll(() => page.locator('#live-status').textContent()).toBe('live');
    const planHash = (await (await d.app.store()).get(ids.approved))!.record.planHash;
    const journal = Journal.open({ storeDir: d.app.home, deploymentId: ids.approved, planHash });
    const at = () => new Date().toISOString();
    journal.append({
      type: 'run-started',
      at: at(),
      runId: 'run-1',
      deploymentId: ids.approved,
      planHash,
      pid: process.pid,
      person: 'tina',
      facts: {},
    });
    await expect.poll(() => page.locator('#journal li').count()).toBe(1);
    for (const step of ['backup-database', 'extract-release', 'switch-current']) {
      journal.append({ type: 'step-started', at: at(), runId: 'run-1', step });
      journal.append({ type: 'step-done', at: at(), runId: 'run-1', step, durationMs: 1500, outputs: {} });
    }
    journal.append({ type: 'run-finished', at: at(), runId: 'run-1', durationMs: 4800 });
    journal.close();
    await expect.poll(() => page.locator('#journal li').count()).toBe(8);
    expect(await page.locator('#journal').textContent()).toContain('extract-release: done in 1.5 s');
    await expect.poll(() => page.locator('#live-status').textContent()).toBe('run finished');
    await page.locator('#progress-title').scrollIntoViewIfNeeded();
    await page.screenshot({
      path: join((await import('./helpers/browser.js')).screenshotDir, 'progress.png'),
    });
  });

  it('draws the metrics charts', async () => {
    const { page } = b;
    await page.goto(url('/metrics'));
    await expect
      .poll(() =>
        page.evaluate(
          () =>
            (window as unknown as { mokodeployCharts?: unknown[] }).mokodeployCharts?.filter(Boolean)
              .length ?? 0,
        ),
      )
      .toBe(5);
    const painted = await page.evaluate(() =>
      [...document.querySelectorAll('canvas')].map((c) => {
        const ctx = (c as HTMLCanvasElement).getContext('2d')!;
        const { data } = ctx.getImageData(0, 0, c.width, c.height);
        let inked = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) inked++;
        return inked;
      }),
    );
    expect(painted).toHaveLength(5);
    for (const n of painted) expect(n).toBeGreaterThan(500);
    await screenshot(page, 'metrics');
  });

  it('shows the audit chain status and the monthly review', async () => {
    const { page } = b;
    await page.goto(url('/audit'));
    expect(await page.locator('#chain-status').textContent()).toMatch(
      /^\s*Intact: \d+\s+entries, every one signed by the audit key/,
    );
    expect(await page.locator('tr.refused').count()).toBeGreaterThan(0);
    await screenshot(page, 'audit');
    await page.goto(url('/review'));
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Monthly deployment review');
    await screenshot(page, 'review');
  });

  it('passes the basic accessibility rules on every main page', async () => {
    const { page } = b;
    for (const path of [
      '/',
      '/board',
      `/deployments/${ids.approved}`,
      `/deployments/${ids.signoff}`,
      `/deployments/${ids.live}`,
      '/metrics',
      '/review',
      '/audit',
      '/plans/new',
    ]) {
      await page.goto(url(path));
      expect({ path, problems: await accessibilityProblems(page) }).toEqual({ path, problems: [] });
      if (path === '/plans/new') await screenshot(page, 'plan-new');
    }
    await logOut(page);
    expect(await accessibilityProblems(page)).toEqual([]);
  });

  it('raised no console errors (no CSP violation, no script error)', () => {
    expect(b.consoleErrors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });
});
