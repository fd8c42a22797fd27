import { html, type Html } from './html.js';
import type { ActionForm, FieldDef } from './action-forms.js';

/** Evidence inputs: text, a file (uploaded and stored by its sha256) and a link; any one is enough. */
export function evidenceFields(prefix: string): Html {
  return html`<fieldset class="evidence">
    <legend>Evidence</legend>
    <p>
      <label for="${prefix}-evidence">What shows it is done</label>
      <input id="${prefix}-evidence" name="evidence" />
    </p>
    <p><label for="${prefix}-file">File</label> <input id="${prefix}-file" name="file" type="file" /></p>
    <p><label for="${prefix}-link">Link</label> <input id="${prefix}-link" name="link" type="url" /></p>
  </fieldset>`;
}

function fieldHtml(prefix: string, f: FieldDef): Html {
  const id = `${prefix}-${f.name}`;
  const req = f.required ? html` required` : '';
  switch (f.type) {
    case 'hidden':
      return html`<input type="hidden" name="${f.name}" value="${f.value ?? ''}" />`;
    case 'evidence':
      return evidenceFields(prefix);
    case 'textarea':
      return html`<p>
        <label for="${id}">${f.label}</label>
        <textarea id="${id}" name="${f.name}" rows="2" ${req}></textarea>
      </p>`;
    case 'select':
      return html`<p>
        <label for="${id}">${f.label}</label>
        <select id="${id}" name="${f.name}">
          ${(f.options ?? []).map((o) => html`<option>${o}</option>`)}
        </select>
      </p>`;
    case 'number':
      return html`<p>
        <label for="${id}">${f.label}</label> <input id="${id}" name="${f.name}" inputmode="decimal" ${req} />
      </p>`;
    default:
      return html`<p>
        <label for="${id}">${f.label}</label>
        <input id="${id}" name="${f.name}" ${f.hint ? html` placeholder="${f.hint}"` : ''}${req} />
      </p>`;
  }
}

/** One action as a plain form (multipart, so evidence files go with it): works without JavaScript. */
export function actionFormHtml(deploymentId: string, action: ActionForm, csrf: string): Html {
  const prefix = `act-${action.key}`;
  return html`<form
    class="action"
    method="post"
    enctype="multipart/form-data"
    action="/deployments/${deploymentId}/actions/${action.key}"
    aria-labelledby="${prefix}-heading"
  >
    <h3 id="${prefix}-heading">${action.label}</h3>
    <input type="hidden" name="_csrf" value="${csrf}" />
    ${action.fields.map((f) => fieldHtml(prefix, f))}
    <p><button type="submit" data-action="${action.key}">${action.label}</button></p>
  </form>`;
}
