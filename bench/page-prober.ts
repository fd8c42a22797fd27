/**
 * Issue 19 bench prober: every `intervalMs` (50 ms) it asks for the login page (anonymous: must show Dolibarr's
 * login form) and a logged-in page (a session opened once at the start: must show the logout link), one after the
 * other. A request counts as down when it is not Dolibarr's normal page (status, redirect, missing form or link,
 * error, or slower than `timeoutMs`, 30 s). Reported: the total outage (sum of down spans) and the slowest normal answer
 * (a request waiting, e.g. on a RENAME TABLE's metadata lock, is answered but late).
 */
import { request as httpsRequest } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { OutageLog, totalSeconds } from '../src/runner/outage-log.js';
import { pinnedLookup, readLoginToken, showsLoginForm, showsLogout } from '../src/dolibarr/login-form.js';

export interface PageProbeOptions {
  url: string;
  address: string;
  ca: Buffer;
  login: string;
  password: string;
  intervalMs?: number;
  timeoutMs?: number;
}

export interface PageProbeReport {
  outageSeconds: number;
  outages: { from: string; seconds: number; seen: string }[];
  samples: number;
  failed: number;
  slowestMs: number;
  loggedIn: boolean;
}

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

function get(o: PageProbeOptions, path: string, cookie = '', form?: URLSearchParams): Promise<Answer> {
  const url = new URL(path, o.url.endsWith('/') ? o.url : `${o.url}/`);
  const body = form?.toString();
  const headers: Record<string, string> = { cookie, 'user-agent': 'mokodeploy-bench-prober' };
  if (body)
    Object.assign(headers, {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(Buffer.byteLength(body)),
    });
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method: body ? 'POST' : 'GET',
        headers,
        lookup: pinnedLookup(o.address),
        ca: o.ca,
        servername: url.hostname,
        timeout: o.timeoutMs ?? 30_000,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

const cookiesOf = (a: Answer, jar: Map<string, string>) => {
  for (const line of a.headers['set-cookie'] ?? []) {
    const [pair] = line.split(';');
    const eq = pair!.indexOf('=');
    if (eq > 0) jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
};

/** Log in through the form; the session cookie header, or undefined. */
export async function openSession(o: PageProbeOptions): Promise<string | undefined> {
  const jar = new Map<string, string>();
  const first = await get(o, 'index.php');
  let cookie = cookiesOf(first, jar);
  const token = readLoginToken(first.body);
  if (!token) return undefined;
  const form = new URLSearchParams({
    token,
    actionlogin: 'login',
    loginfunction: 'loginfunction',
    username: o.login,
    password: o.password,
  });
  let a = await get(o, 'index.php', cookie, form);
  cookie = cookiesOf(a, jar);
  for (let i = 0; i < 5 && a.status >= 300 && a.status < 400 && a.headers.location; i++) {
    a = await get(o, new URL(a.headers.location, o.url).pathname.replace(/^\//, ''), cookie);
    cookie = cookiesOf(a, jar);
  }
  return showsLogout(a.body) ? cookie : undefined;
}

export function startPageProbe(o: PageProbeOptions) {
  const log = new OutageLog();
  let slowest = 0;
  const slow: { at: number; ms: number }[] = [];
  let running = true;
  let cookie: string | undefined;
  const check = async (path: string, withCookie: boolean): Promise<string> => {
    const t = Date.now();
    try {
      const a = await get(o, path, withCookie ? cookie : '');
      const ms = Date.now() - t;
      if (a.status !== 200) return `HTTP ${a.status}`;
      const normal = withCookie ? showsLogout(a.body) && !showsLoginForm(a.body) : showsLoginForm(a.body);
      if (!normal) return withCookie ? 'logged-in page without logout link' : 'login page without form';
      slowest = Math.max(slowest, ms);
      slow.push({ at: t, ms });
      return 'ok';
    } catch (e) {
      return (e as Error).message;
    }
  };
  const loop = (async () => {
    cookie = await openSession(o);
    while (running) {
      const started = Date.now();
      const seen = [
        await check('index.php', false),
        cookie ? await check('index.php', true) : 'no session',
      ].find((s) => s !== 'ok');
      log.record(started, seen);
      await new Promise((r) => setTimeout(r, o.intervalMs ?? 50));
    }
  })();
  /** What was seen from `since` on (the prober keeps its one session: a new login would write llx_user). */
  const since = (t0: number): PageProbeReport => {
    const all = log.since(t0);
    return {
      outageSeconds: totalSeconds(all),
      outages: all,
      samples: log.samples,
      failed: log.failed,
      slowestMs: Math.max(0, ...slow.filter((x) => x.at >= t0).map((x) => x.ms)),
      loggedIn: cookie !== undefined,
    };
  };
  return {
    since,
    async stop(): Promise<PageProbeReport> {
      running = false;
      await loop;
      const outages = log.close();
      return {
        outageSeconds: totalSeconds(outages),
        outages,
        samples: log.samples,
        failed: log.failed,
        slowestMs: slowest,
        loggedIn: cookie !== undefined,
      };
    },
  };
}
