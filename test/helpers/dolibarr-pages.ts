import { request } from 'node:https';
import { readLoginToken } from '../../src/dolibarr/login-form.js';
import type { Secret } from '../../src/core/secret.js';

/**
 * A logged-in browser session on a Dolibarr site, minimal: cookies, redirects, one CA.
 * For tests that open records in Dolibarr's own pages (societe/card.php, contact/card.php…).
 */
export async function dolibarrSession(o: { url: string; ca: Buffer; login: string; password: Secret }): Promise<(path: string) => Promise<{ status: number; body: string }>> {
  const base = new URL(o.url.endsWith('/') ? o.url : `${o.url}/`);
  const cookies = new Map<string, string>();
  const get = (path: string, form?: URLSearchParams, hops = 0): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const url = new URL(path, base);
      const body = form?.toString();
      const req = request(
        {
          host: '127.0.0.1', port: url.port, path: url.pathname + url.search, servername: url.hostname, ca: o.ca, method: form ? 'POST' : 'GET',
          headers: {
            Host: url.host, Cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
            ...(body ? { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) } : {}),
          },
        },
        (res) => {
          for (const line of res.headers['set-cookie'] ?? []) {
            const [pair] = line.split(';');
            const eq = pair!.indexOf('=');
            if (eq > 0) cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
          }
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => {
            const loc = res.headers.location;
            if (loc && res.statusCode! >= 300 && res.statusCode! < 400 && hops < 5) resolve(get(new URL(loc, url).href, undefined, hops + 1));
            else resolve({ status: res.statusCode ?? 0, body: text });
          });
        },
      );
      req.on('error', reject);
      if (body) req.write(body);
      req.end();
    });
  const first = await get('index.php');
  const token = readLoginToken(first.body);
  if (!token) throw new Error('no login form');
  await get('index.php', new URLSearchParams({ token, actionlogin: 'login', loginfunction: 'loginfunction', username: o.login, password: o.password.reveal() }));
  return (path) => get(path);
}
