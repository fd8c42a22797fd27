import type { Secret } from '../core/secret.js';
import { HttpSession, type HttpResponse, type SiteAccess } from './http.js';

/**
 * Dolibarr's REST API (module Api; DOLIBARR.md §6): a key from POST /login (the password in the body, never in
 * the URL), then calls with the DOLAPIKEY header. Calls go through Dolibarr's business classes (triggers,
 * numbering, validation), which is what a critical-workflow check should exercise.
 */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export class DolibarrApi {
  private constructor(
    private readonly http: HttpSession,
    private readonly key: string,
  ) {}

  static async login(site: SiteAccess, login: string, password: Secret): Promise<DolibarrApi> {
    const http = new HttpSession(site);
    const r = await http.request('api/index.php/login', {
      body: JSON.stringify({ login, password: password.reveal() }),
      headers: { 'content-type': 'application/json', accept: 'application/json' },
    });
    if (/WarningModuleNotActive/.test(r.text)) {
      throw new ApiError(
        'the REST API module (modApi) is not enabled: add modApi to the plan modules or enable it in Home > Setup > Modules',
        r.status,
      );
    }
    const token = parse(r)?.success?.token as string | undefined;
    if (r.status !== 200 || !token)
      throw new ApiError(`API login as ${login} failed: HTTP ${r.status} ${errorText(r)}`, r.status);
    return new DolibarrApi(http, token);
  }

  async call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
    const r = await this.http.request(`api/index.php/${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: {
        DOLAPIKEY: this.key,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      follow: false,
    });
    if (r.status < 200 || r.status >= 300)
      throw new ApiError(`${method} /${path.split('?')[0]}: HTTP ${r.status} ${errorText(r)}`, r.status);
    return parse(r);
  }

  /** A list; Dolibarr answers 404 for an empty one. */
  async list(path: string): Promise<Record<string, unknown>[]> {
    try {
      return (await this.call('GET', path)) as Record<string, unknown>[];
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return [];
      throw e;
    }
  }
}

function parse(
  r: HttpResponse,
): { success?: Record<string, unknown>; error?: { message?: string } } & Record<string, unknown> {
  try {
    return JSON.parse(r.text);
  } catch {
    return {};
  }
}

function errorText(r: HttpResponse): string {
  return String(parse(r)?.error?.message ?? r.text.slice(0, 160));
}
