import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../../src/verify/browser.js';

export const screenshotDir = resolve(import.meta.dirname, '../../../.test-output/screenshots');

/** Debian's Chromium, headless, with a fresh profile; console errors (e.g. CSP violations) are collected. */
export async function openBrowser(): Promise<{
  context: BrowserContext;
  page: Page;
  consoleErrors: string[];
  close(): Promise<void>;
}> {
  const profile = mkdtempSync(join(tmpdir(), 'moko-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  mkdirSync(screenshotDir, { recursive: true });
  return {
    context,
    page,
    consoleErrors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export const screenshot = (page: Page, name: string) =>
  page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });

/** Log in through the form, as a person would. */
export async function logIn(page: Page, base: string, login: string, password: string): Promise<void> {
  await page.goto(new URL('/login', base).href);
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

export async function logOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL((u) => u.pathname.startsWith('/login'));
}
