import { ApiClient } from './api-client.js';

/** A browser without JavaScript: reads the CSRF token from the page and posts the forms as they are. */
export class FormBrowser extends ApiClient {
  async page(path: string) {
    const r = await this.get(path);
    this.csrf = /name="_csrf" value="([^"]+)"/.exec(r.text)?.[1] ?? this.csrf;
    return r;
  }

  /** Post a form as a browser does (a list is one field sent several times, as checkboxes are). */
  submit(action: string, fields: Record<string, string | string[]>) {
    const form = new FormData();
    form.append('_csrf', this.csrf);
    for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) form.append(k, one);
    return this.request('POST', action, { form, csrf: null });
  }
}
