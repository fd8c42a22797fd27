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
    /** The module Api is off (not a failure of the API itself). */
    readonly moduleOff = false,
  ) {
    super(message);
  }
}

export const apiOffMessage =
  'the REST API module (modApi) is not enabled: add modApi to the plan modules and re-run the deployment, or enable "API REST" in Home > Setup > Modules, then verify again';

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
    // api/index.php l.121-128: HTTP 200 and trans("WarningModuleNotActive", 'Api') ("Module <b>Api</b> must be
    // enabled", "Le module <b>Api</b> doit être activé…") while the module is off
    if (/WarningModuleNotActive|<b>Api<\/b>/i.test(r.text)) {
      throw new ApiError(apiOffMessage, r.status, true);
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
    const where = `${method} /${path.split('?')[0]}`;
    if (r.status < 200 || r.status >= 300)
      throw new ApiError(`${where}: HTTP ${r.status} ${errorText(r)}`, r.status);
    // a PHP error inside an API call: dol_print_error() answers an HTML page (HTTP 202 on 20.0.2), not JSON
    if (!/json/i.test(String(r.headers['content-type'])))
      throw new ApiError(
        `${where}: HTTP ${r.status} answered a page, not JSON: ${pageText(r.text)}`,
        r.status,
      );
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

/** The message of Dolibarr's technical-error page (dol_print_error), as plain text. */
function pageText(html: string): string {
  const text = html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&[a-z]+;/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return (/Message: (.*)/.exec(text)?.[1] ?? text).slice(0, 240);
}

function errorText(r: HttpResponse): string {
  return String(parse(r)?.error?.message ?? r.text.slice(0, 160));
}
