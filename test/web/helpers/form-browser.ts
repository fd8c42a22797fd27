import { ApiClient } from './api-client.js';

/** A browser without JavaScript: reads the CSRF token from the page and posts the forms as they are. */
export class FormBrowser extends ApiClient {
  async page(path: string) {
    const r = await this.get(path);
    this.csrf = /name="_csrf" value="([^"]+)"/.exec(r.text)?.[1] ?? this.csrf;
    return r;
  }

  submit(action: string, fields: Record<string, string>) {
    const form = new FormData();
    form.append('_csrf', this.csrf);
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    return this.request('POST', action, { form, csrf: null });
  }
}
