import { html, type Html } from '../html.js';
import { layout, type PageContext } from '../layout.js';
import type { ErrorBody } from '../../server/http-errors.js';
import { formError } from '../form-fields.js';

/** Submit a plan: paste the YAML or upload the file (technical leads only; others are told who may). */
export function planNewPage(
  page: PageContext,
  maySubmit: boolean,
  sent: { text: string; draft: boolean; error?: ErrorBody } = { text: '', draft: false },
): Html {
  return layout(
    'Submit a plan',
    page,
    html`<h1>Submit a deployment plan</h1>
      ${
        maySubmit
          ? html`<form
                class="action"
                method="post"
                enctype="multipart/form-data"
                action="/plans"
                id="plan-form"
              >
                ${formError(sent.error, 'plan-error')}
                <input type="hidden" name="_csrf" value="${page.csrf}" />
                <p>
                  <label for="plan-yaml">Plan (YAML)</label><br /><textarea
                    id="plan-yaml"
                    name="plan"
                    rows="18"
                    cols="80"
                    spellcheck="false"
                  >
${sent.text}</textarea>
                </p>
                <p>
                  <label for="plan-file">or the plan file</label>
                  <input id="plan-file" name="file" type="file" accept=".yaml,.yml" />
                </p>
                <p>
                  <label
                    ><input type="checkbox" name="draft" value="true" ${sent.draft ? html` checked` : ''} />
                    Save as a draft</label
                  >
                </p>
                <p><button type="submit">Submit the plan</button></p>
              </form>
              <p class="hint">
                <code>mokodeploy init CLIENT</code> writes a plan to start from;
                <code>mokodeploy plan schema</code> prints its JSON Schema.
              </p>`
          : html`<p>Plans are submitted by a technical lead.</p>`
      }`,
    { current: '/plans/new' },
  );
}
