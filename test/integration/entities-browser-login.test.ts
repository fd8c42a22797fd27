import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../src/core/secret.js';
import { browserLogin } from '../../src/entities/isolation/browser.js';
import { launchBrowser, siteContext } from '../../src/verify/browser.js';
import type { SiteAccess } from '../../src/verify/http.js';

/**
 * The isolation check's Chromium login (src/entities/isolation/browser.ts) against a page that behaves like
 * Dolibarr's login: the form posts back to the URL it is on (form action="/index.php", main.inc.php answers the
 * login in place, no redirect), so the URL never changes. The login must be judged as soon as the answer has
 * loaded: it used to wait for a URL change until its 30 s timeout, on every login, refused or not (5 logins per
 * `entities verify` of two entities = 150 s).
 */
const form = (entity: string) => `<html><body><form id="login" method="post" action="/index.php">
<select name="entity"><option value="1"${entity === '1' ? ' selected' : ''}>ACME France</option><option value="2">ACME Belgium</option></select>
<input type="text" id="username" name="username"><input type="password" id="password" name="password">
<input type="submit" value="Login"></form></body></html>`;

let server: Server;
let browser: Browser;
let site: SiteAccess;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      res.setHeader('content-type', 'text/html');
      const p = new URLSearchParams(body);
      // frank exists in entity 1 only (functions_dolibarr.php: `entity IN (0, N)`)
      const ok =
        req.method === 'POST' &&
        p.get('username') === 'frank' &&
        p.get('password') === 'pw' &&
        p.get('entity') === '1';
      res.end(
        ok
          ? '<html><body><a href="/user/logout.php">Logout</a> Home</body></html>'
          : form(p.get('entity') ?? '1'),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  site = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
  browser = await launchBrowser(site);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

const login = async (entity: number, password: string) => {
  const context = await siteContext(browser, site);
  const started = Date.now();
  try {
    const r = await browserLogin(context, site, { entity, login: 'frank', password: new Secret(password) });
    return { ok: r.ok, detail: r.detail, ms: Date.now() - started };
  } finally {
    await context.close();
  }
};

describe('isolation check: login through a form that posts back to its own URL', () => {
  it('a good login is seen as logged in without waiting for a URL change', async () => {
    const r = await login(1, 'pw');
    expect(r.detail).toBe('frank logged into entity 1');
    expect(r.ok).toBe(true);
    expect(r.ms).toBeLessThan(20_000);
  });

  it('a login into another entity is seen as refused, also without waiting', async () => {
    const r = await login(2, 'pw');
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/^frank not logged into entity 2 \(http:\/\/127\.0\.0\.1:\d+\/index\.php\)$/);
    expect(r.ms).toBeLessThan(20_000);
  });
});
