import { html, type Html } from './html.js';
import type { ActionForm, FieldDef } from './action-forms.js';
import type { Option } from './field-options.js';
import type { ErrorBody } from '../server/http-errors.js';

/** What a form was sent with, and what the core said: shown again on the same form, nothing lost. */
export interface FormState {
  key: string;
  values: Record<string, string[]>;
  error: ErrorBody;
}

export interface FieldContext {
  options: (f: FieldDef) => Option[];
  timeZone: string;
  state?: FormState;
}

/** Evidence inputs: text, a file (uploaded and stored by its sha256) and a link; any one is enough. */
export function evidenceFields(prefix: string, values: Record<string, string[]> = {}): Html {
  return html`<fieldset class="evidence">
    <legend>Evidence</legend>
    <p>
      <label for="${prefix}-evidence">What shows it is done</label>
      <input id="${prefix}-evidence" name="evidence" value="${values.evidence?.[0] ?? ''}" />
    </p>
    <p><label for="${prefix}-file">File</label> <input id="${prefix}-file" name="file" type="file" /></p>
    <p>
      <label for="${prefix}-link">Link</label>
      <input id="${prefix}-link" name="link" type="url" value="${values.link?.[0] ?? ''}" />
    </p>
  </fieldset>`;
}

/** The error of a form, inline, where the person is looking (role=alert moves a screen reader to it). */
export function formError(error: ErrorBody | undefined, id: string): Html | string {
  if (!error) return '';
  return html`<div class="error" role="alert" id="${id}">
    <p id="error-message">${error.error}</p>
    ${error.where ? html`<p>where: ${error.where}</p>` : ''}
    ${
      error.details.length
        ? html`<ul>
            ${[...new Set(error.details)].map((d) => html`<li>${d}</li>`)}
          </ul>`
        : ''
    }
    ${error.fix ? html`<p>fix: ${error.fix}</p>` : ''}
  </div>`;
}

function fieldHtml(prefix: string, f: FieldDef, ctx: FieldContext, values: Record<string, string[]>): Html {
  const id = `${prefix}-${f.name}`;
  const req = f.required ? html` required` : '';
  const value = values[f.name]?.[0] ?? '';
  const hintId = `${id}-hint`;
  const hint = (text: string | undefined) =>
    text ? html` <small class="hint" id="${hintId}">${text}</small>` : '';
  const described = (text: string | undefined) => (text ? html` aria-describedby="${hintId}"` : '');
  switch (f.type) {
    case 'hidden':
      return html`<input type="hidden" name="${f.name}" value="${f.value ?? ''}" />`;
    case 'evidence':
      return evidenceFields(prefix, values);
    case 'textarea':
      return html`<p class="field">
        <label for="${id}">${f.label}</label>
        <textarea id="${id}" name="${f.name}" rows="2" ${req}>${value}</textarea>
      </p>`;
    case 'select':
      return html`<p class="field">
        <label for="${id}">${f.label}</label>
        <select id="${id}" name="${f.name}" ${req}>
          <option value="">choose…</option>
          ${ctx.options(f).map((o) => html`<option value="${o.value}" ${o.value === value ? html` selected` : ''}>${o.label}</option>`)}
        </select>
      </p>`;
    case 'checkboxes': {
      const chosen = new Set(values[f.name] ?? []);
      return html`<fieldset class="choices">
        <legend>${f.label}</legend>
        ${ctx.options(f).map(
          (o) =>
            html`<p>
              <input
                type="checkbox"
                id="${id}-${o.value}"
                name="${f.name}"
                value="${o.value}"
                ${chosen.has(o.value) ? html` checked` : ''}
              />
              <label for="${id}-${o.value}">${o.label}</label>
            </p>`,
        )}
      </fieldset>`;
    }
    case 'datetime': {
      const text = `${f.hint ? `${f.hint}; ` : ''}e.g. 06/12/2026 20:00, ${ctx.timeZone}`;
      return html`<p class="field">
        <label for="${id}">${f.label}</label>
        <input
          id="${id}"
          name="${f.name}"
          value="${value}"
          autocomplete="off"
          ${described(text)}${req}
        />${hint(text)}
      </p>`;
    }
    case 'number':
      return html`<p class="field">
        <label for="${id}">${f.label}</label>
        <input
          id="${id}"
          name="${f.name}"
          inputmode="decimal"
          value="${value}"
          ${described(f.hint)}${req}
        />${hint(f.hint)}
      </p>`;
    default:
      return html`<p class="field">
        <label for="${id}">${f.label}</label>
        <input id="${id}" name="${f.name}" value="${value}" ${described(f.hint)}${req} />${hint(f.hint)}
      </p>`;
  }
}

/**
 * One action as a plain form (multipart, so evidence files go with it): works without JavaScript. A form whose
 * gate is closed keeps its button disabled and says why; a refused form comes back with what was typed.
 */
export function actionFormHtml(
  deploymentId: string,
  action: ActionForm,
  csrf: string,
  ctx: FieldContext,
  blocked?: string,
): Html {
  const prefix = `act-${action.key}`;
  const mine = ctx.state?.key === action.key ? ctx.state : undefined;
  return html`<form
    class="action${blocked ? ' blocked' : ''}"
    id="${prefix}"
    method="post"
    enctype="multipart/form-data"
    action="/deployments/${deploymentId}/actions/${action.key}#${prefix}"
    aria-labelledby="${prefix}-heading"
  >
    <h3 id="${prefix}-heading">${action.label}</h3>
    ${formError(mine?.error, `${prefix}-error`)}
    <input type="hidden" name="_csrf" value="${csrf}" />
    ${action.fields.map((f) => fieldHtml(prefix, f, ctx, mine?.values ?? {}))}
    <p>
      <button
        type="submit"
        data-action="${action.key}"
        ${blocked ? html` disabled aria-describedby="${prefix}-why"` : ''}
      >
        ${action.label}
      </button>
      ${blocked ? html`<small class="why" id="${prefix}-why">Not yet: ${blocked}</small>` : ''}
    </p>
  </form>`;
}
