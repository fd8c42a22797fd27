import { html, type Html } from '../html.js';
import { layout, type PageContext } from '../layout.js';
import type { ErrorBody } from '../../server/http-errors.js';

/** An error as a page: what, where, how to fix, and a way back. */
export function errorPage(page: PageContext, status: number, body: ErrorBody, back?: string): Html {
  const title =
    status === 403
      ? 'Not allowed'
      : status === 404
        ? 'Not found'
        : status >= 500
          ? 'Something broke'
          : 'Refused';
  return layout(
    title,
    page,
    html`<h1>${title}</h1>
      <div class="error" role="alert">
        <p id="error-message">${body.error}</p>
        ${body.where ? html`<p>where: ${body.where}</p>` : ''}
        ${
          body.details.length
            ? html`<ul>
                ${body.details.map((d) => html`<li>${d}</li>`)}
              </ul>`
            : ''
        }
        ${body.fix ? html`<p>fix: ${body.fix}</p>` : ''}
      </div>
      <p><a href="${back && back.startsWith('/') && !back.startsWith('//') ? back : '/'}">Back</a></p>`,
  );
}
