import type { AppContext } from '../cli/app.js';
import { evidenceFromForm } from '../server/evidence-from-form.js';
import { field, type FormData } from '../server/multipart-form.js';
import type { ActionForm } from './action-forms.js';

/** Turn a submitted action form into the operation's raw input; the core's schema then validates it. */
export function inputFromForm(app: AppContext, action: ActionForm, form: FormData): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const f of action.fields) {
    if (f.type === 'evidence') {
      input[f.name] = evidenceFromForm(app, form);
      continue;
    }
    const value = f.type === 'hidden' ? f.value : field(form, f.name);
    if (value === undefined) continue;
    if (f.type === 'number') input[f.name] = Number(value);
    else if (f.type === 'list')
      input[f.name] = value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    else input[f.name] = value;
  }
  return input;
}
