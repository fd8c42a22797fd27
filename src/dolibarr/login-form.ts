import { request } from 'node:https';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { LookupFunction } from 'node:net';
import type { Secret } from '../core/secret.js';

/**
 * Log in through Dolibarr's real login form, as a browser would.
 * contract: htdocs/core/tpl/login.tpl.php l.151-223 (20.0.2): <form id="login" method="post"> with hidden
 * `token` (newToken(), checked against the session by main.inc.php l.657-705: CSRF), `actionlogin=login`,
 * `loginfunction=loginfunction`, and fields `username`, `password`. The session cookie is DOLSESSID_<hash>.
 * Success = the page after login no longer shows the login form and links to user/logout.php.
 */
export interface LoginOptions {
  /** Base URL of the site, e.g. https://crm.acme.example (no trailing slash needed). */
  url: string;
  login: string;
  password: Secret;
  /** Trust this CA (PEM) in addition to none: for private test CAs. */
  ca?: string | Buffer;
  /** Connect to this address instead of resolving the URL's host (SNI and Host stay the URL's). */
  address?: string;
  timeoutMs?: number;
}

export interface LoginResult {
  ok: boolean;
  /** What went wrong, when not ok. */
  reason?: string;
  /** URL of the last page (after redirects). */
  finalUrl: string;
  status: number;
  /** Time of the whole exchange (GET form + POST + redirects). */
  durationMs: number;
}

interface Page {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

class CookieJar {
  readonly #cookies = new Map<string, string>();
  store(headers: IncomingMessage['headers']): void {
    for (const line of headers['set-cookie'] ?? []) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      if (eq > 0) this.#cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
  }
  header(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** A DNS lookup that always answers `address` (reach a site before its DNS exists; SNI/Host unchanged). */
export function pinnedLookup(address: string): LookupFunction {
  const family = address.includes(':') ? 6 : 4;
  return (_host, opts, cb) => {
    if ((opts as { all?: boolean }).all)
      (cb as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address, family },
      ]);
    else cb(null, address, family);
  };
}

function fetchPage(url: URL, o: LoginOptions, jar: CookieJar, form?: URLSearchParams): Promise<Page> {
  const body = form?.toString();
  const lookup = o.address ? pinnedLookup(o.address) : undefined;
  const headers: Record<string, string> = { cookie: jar.header(), 'user-agent': 'mokodeploy-health-check' };
  if (body) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  const send = url.protocol === 'https:' ? request : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: body ? 'POST' : 'GET',
        headers,
        lookup,
        ca: o.ca,
        servername: url.hostname,
        timeout: o.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          jar.store(res.headers);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timed out fetching ${url.href}`)));
    req.on('error', reject);
    req.end(body);
  });
}

async function follow(
  start: URL,
  o: LoginOptions,
  jar: CookieJar,
  form?: URLSearchParams,
): Promise<{ page: Page; url: URL }> {
  let url = start;
  let page = await fetchPage(url, o, jar, form);
  for (let hops = 0; hops < 8 && page.status >= 300 && page.status < 400 && page.headers.location; hops++) {
    url = new URL(page.headers.location, url);
    page = await fetchPage(url, o, jar);
  }
  return { page, url };
}

export function readLoginToken(html: string): string | undefined {
  const form = /<form[^>]*id="login"[\s\S]*?<\/form>/i.exec(html)?.[0];
  if (!form) return undefined;
  return /name="token"\s+value="([^"]*)"/i.exec(form)?.[1];
}

export const showsLoginForm = (html: string) => /<form[^>]*id="login"/i.test(html);
export const showsLogout = (html: string) => /user\/logout\.php/i.test(html);

export async function loginThroughForm(o: LoginOptions): Promise<LoginResult> {
  const started = Date.now();
  const jar = new CookieJar();
  const base = new URL(o.url.endsWith('/') ? o.url : `${o.url}/`);
  const done = (ok: boolean, page: Page, url: URL, reason?: string): LoginResult => ({
    ok,
    reason,
    finalUrl: url.href,
    status: page.status,
    durationMs: Date.now() - started,
  });
  const first = await follow(new URL('index.php', base), o, jar);
  const token = readLoginToken(first.page.body);
  if (!token)
    return done(
      false,
      first.page,
      first.url,
      `no login form with a CSRF token at ${first.url.href} (HTTP ${first.page.status})`,
    );
  const form = new URLSearchParams({
    token,
    actionlogin: 'login',
    loginfunction: 'loginfunction',
    username: o.login,
    password: o.password.reveal(),
  });
  const after = await follow(first.url, o, jar, form);
  if (after.page.status !== 200)
    return done(false, after.page, after.url, `HTTP ${after.page.status} after login`);
  if (showsLoginForm(after.page.body) || !showsLogout(after.page.body))
    return done(
      false,
      after.page,
      after.url,
      'the login form came back: wrong credentials, CSRF token or session cookie',
    );
  return done(true, after.page, after.url);
}
