/** A logged-in (or not) HTTP client over real fetch: keeps the session cookie and the CSRF token. */
export class ApiClient {
  cookie = '';
  csrf = '';

  constructor(readonly base: string) {}

  async request(
    method: string,
    path: string,
    opts: {
      json?: unknown;
      yaml?: string;
      form?: FormData;
      csrf?: string | null;
      headers?: Record<string, string>;
    } = {},
  ) {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (this.cookie) headers.cookie = this.cookie;
    const token = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (method !== 'GET' && token) headers['x-csrf-token'] = token;
    let body: BodyInit | undefined;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    } else if (opts.yaml !== undefined) {
      headers['content-type'] = 'application/yaml';
      body = opts.yaml;
    } else if (opts.form) body = opts.form;
    const res = await fetch(new URL(path, this.base), { method, headers, body, redirect: 'manual' });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    const text = await res.text();
    let data: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('application/json')) data = JSON.parse(text);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read JSON answers field by field
    return { status: res.status, headers: res.headers, data: data as any, text };
  }

  get = (path: string) => this.request('GET', path);
  post = (path: string, opts: Parameters<ApiClient['request']>[2] = {}) => this.request('POST', path, opts);

  /** Fetch a CSRF token for this (possibly anonymous) session. */
  async session() {
    const r = await this.get('/api/session');
    this.csrf = r.data.csrfToken;
    return r;
  }

  async login(login: string, password: string) {
    await this.session();
    const r = await this.post('/api/login', { json: { login, password } });
    if (r.status === 200) this.csrf = r.data.csrfToken;
    return r;
  }
}
