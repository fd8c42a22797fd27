import { request } from 'node:https';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { pinnedLookup } from '../../../src/dolibarr/login-form.js';
import { caOf, type InstallStack } from './index.js';

export interface Fetched {
  status: number;
  headers: IncomingHttpHeaders;
  /** Raw header names as sent (to count duplicates). */
  rawNames: string[];
}

export function fetchFromStack(stack: InstallStack, url: string): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const send = u.protocol === 'https:' ? request : httpRequest;
    const req = send(u, { ca: caOf(stack), lookup: pinnedLookup('127.0.0.1') }, (res) => {
      res.resume();
      const rawNames = res.rawHeaders.filter((_v, i) => i % 2 === 0).map((n) => n.toLowerCase());
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, rawNames }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Paths the site must never serve (config, installer, dotfiles, dumps, lock files). */
export const deniedPaths = [
  '/conf/conf.php',
  '/conf/conf.php.example',
  '/install/step1.php',
  '/install/index.php',
  '/.htaccess',
  '/install/mysql/tables/llx_user.sql',
  '/install.lock',
];

export const securityHeaderNames = [
  'strict-transport-security',
  'content-security-policy',
  'x-frame-options',
  'x-content-type-options',
  'referrer-policy',
  'permissions-policy',
];

/** What a browser would see: header counts on the home page, the HTTP redirect, statuses of denied paths. */
export async function inspectSite(stack: InstallStack) {
  const home = await fetchFromStack(stack, `${stack.plan.site.url}/index.php`);
  const headerCounts = Object.fromEntries(
    securityHeaderNames.map((n) => [n, home.rawNames.filter((r) => r === n).length]),
  );
  const plain = await fetchFromStack(stack, `http://${stack.plan.site.domain}:${stack.httpPort}/index.php`);
  const denied: Record<string, number> = {};
  for (const path of deniedPaths)
    denied[path] = (await fetchFromStack(stack, `${stack.plan.site.url}${path}`)).status;
  return { home, headerCounts, redirect: { status: plain.status, location: plain.headers.location }, denied };
}
