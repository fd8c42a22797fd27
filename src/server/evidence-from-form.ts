import type { AppContext } from '../app/context.js';
import type { Evidence } from '../core/record.js';
import { storeUploadedEvidence } from './evidence-upload.js';
import type { FormData } from './multipart-form.js';

/** The form twin of the CLI's --evidence/--file/--link: text, uploaded files (stored content-addressed), links. */
export function evidenceFromForm(app: AppContext, form: FormData): Evidence[] {
  const nonEmpty = (xs: string[] = []) => xs.map((x) => x.trim()).filter(Boolean);
  return [
    ...nonEmpty(form.fields.evidence).map((text) => ({ kind: 'text' as const, text })),
    ...form.files
      .filter((f) => f.field === 'file')
      .map((f) => storeUploadedEvidence(app, f.filename, f.content)),
    ...nonEmpty(form.fields.link).map((url) => ({ kind: 'link' as const, url })),
  ];
}
