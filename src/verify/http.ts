import { request as httpsRequest } from 'node:https';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { pinnedLookup } from '../dolibarr/login-form.js';

/**
 * A small HTTP client for checks: a private CA and a fixed address (a site whose DNS or CA is not
 * public yet), a cookie jar (Dolibarr's DOLSESSID_ session), redirects followed, time measured.
 */
export interface SiteAccess {
  url: string;
  ca?: string | Buffer;
  address?: string;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  url: string;
  ms: number;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  follow?: boolean;
}

export class HttpSession {
  readonly #cookies = new Map<string, string>();
  constructor(readonly site: SiteAccess) {}

  url(path: string): URL {
    const base = this.site.url.endsWith('/') ? this.site.url : `${this.site.url}/`;
    return new URL(path.replace(/^\//, ''), base);
  }

  async request(target: string | URL, o: RequestOptions = {}): Promise<HttpResponse> {
    const started = Date.now();
    let url = typeof target === 'string' ? this.url(target) : target;
    let res = await this.#once(url, o);
    for (
      let hops = 0;
      o.follow !== false && hops < 8 && res.status >= 300 && res.status < 400 && res.headers.location;
      hops++
    ) {
      url = new URL(res.headers.location, url);
      res = await this.#once(url, { headers: o.headers });
    }
    return { ...res, ms: Date.now() - started };
  }

  get(target: string | URL, o: Omit<RequestOptions, 'method' | 'body'> = {}): Promise<HttpResponse> {
    return this.request(target, o);
  }

  #once(url: URL, o: RequestOptions): Promise<HttpResponse> {
    const headers: Record<string, string> = { 'user-agent': 'mokodeploy-verify', ...o.headers };
    const cookie = [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (cookie) headers.cookie = cookie;
    if (o.body !== undefined) headers['content-length'] = String(Buffer.byteLength(o.body));
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const req = send(
        url,
        {
          method: o.method ?? (o.body !== undefined ? 'POST' : 'GET'),
          headers,
          lookup: this.site.address ? pinnedLookup(this.site.address) : undefined,
          ca: this.site.ca,
          servername: url.hostname,
          timeout: this.site.timeoutMs ?? 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            for (const line of res.headers['set-cookie'] ?? []) {
              const pair = line.split(';')[0]!;
              const eq = pair.indexOf('=');
              if (eq > 0) this.#cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
            }
            const body = Buffer.concat(chunks);
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body,
              text: body.toString('utf8'),
              url: url.href,
              ms: Date.now() - started,
            });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`timed out fetching ${url.href}`)));
      req.on('error', reject);
      req.end(o.body);
    });
  }
}
