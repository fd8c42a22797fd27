import type { AppContext } from '../app/context.js';
import { inputError } from '../core/errors.js';
import { evidenceFromForm } from '../server/evidence-from-form.js';
import { field, type FormData } from '../server/multipart-form.js';
import type { ActionForm } from './action-forms.js';
import { parseDuration, parseWhen } from './natural-input.js';

/**
 * Turn a submitted action form into the operation's raw input; the core's schema then validates it. Dates are
 * read in the deployment window's timezone, durations in words; a required field left empty is named.
 */
export async function inputFromForm(
  app: AppContext,
  action: ActionForm,
  form: FormData,
  timeZone: string,
): Promise<Record<string, unknown>> {
  const input: Record<string, unknown> = {};
  for (const f of action.fields) {
    if (f.type === 'evidence') continue;
    if (f.type === 'checkboxes') {
      input[f.name] = (form.fields[f.name] ?? []).map((v) => v.trim()).filter(Boolean);
      continue;
    }
    const value = f.type === 'hidden' ? f.value : field(form, f.name);
    if (value === undefined) {
      if (f.required) throw inputError(`${f.label} is empty`, { where: f.label, fix: `fill in ${f.label}` });
      continue;
    }
    if (f.type === 'number' || f.numeric) {
      const n = Number(value.replace(',', '.'));
      if (!Number.isFinite(n))
        throw inputError(`"${value}" is not a number`, { where: f.label, fix: 'type a number, e.g. 2.5' });
      input[f.name] = n;
    } else if (f.type === 'datetime') input[f.name] = parseWhen(value, timeZone, f.label);
    else if (f.type === 'duration') input[f.name] = parseDuration(value, f.label);
    else if (f.type === 'list')
      input[f.name] = value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    else input[f.name] = value;
  }
  // evidence last: an upload is stored only once the rest of the form reads right
  for (const f of action.fields) if (f.type === 'evidence') input[f.name] = await evidenceFromForm(app, form);
  return input;
}
