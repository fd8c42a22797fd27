import type { AppContext } from '../app/context.js';
import type { Evidence } from '../core/record.js';
import { storeUploadedEvidence } from './evidence-upload.js';
import type { FormData } from './multipart-form.js';

/** The form twin of the CLI's --evidence/--file/--link: text, uploaded files (stored content-addressed), links. */
export async function evidenceFromForm(app: AppContext, form: FormData): Promise<Evidence[]> {
  const nonEmpty = (xs: string[] = []) => xs.map((x) => x.trim()).filter(Boolean);
  const files: Evidence[] = [];
  for (const f of form.files.filter((x) => x.field === 'file'))
    files.push(await storeUploadedEvidence(app, f.filename, f.content));
  return [
    ...nonEmpty(form.fields.evidence).map((text) => ({ kind: 'text' as const, text })),
    ...files,
    ...nonEmpty(form.fields.link).map((url) => ({ kind: 'link' as const, url })),
  ];
}
