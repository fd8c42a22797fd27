/** A multipart body (attachFieldsToBody: true) as plain fields and files. Empty file inputs are dropped. */
export interface UploadedFile {
  field: string;
  filename: string;
  content: Buffer;
}

export interface FormData {
  fields: Record<string, string[]>;
  files: UploadedFile[];
}

interface Part {
  type?: 'field' | 'file';
  fieldname: string;
  value?: unknown;
  filename?: string;
  _buf?: Buffer | null;
}

/** Also accepts a urlencoded body (plain object of strings), so a form works either way. */
export function readForm(body: unknown): FormData {
  const form: FormData = { fields: {}, files: [] };
  if (!body || typeof body !== 'object') return form;
  for (const [key, entry] of Object.entries(body as Record<string, unknown>)) {
    for (const item of Array.isArray(entry) ? entry : [entry]) {
      if (typeof item === 'string') (form.fields[key] ??= []).push(item);
      else if (item && typeof item === 'object' && (item as Part).type === 'field')
        (form.fields[key] ??= []).push(String((item as Part).value ?? ''));
      else if (item && typeof item === 'object' && (item as Part).type === 'file') {
        const part = item as Part;
        if (part.filename && part._buf && part._buf.length > 0)
          form.files.push({ field: key, filename: part.filename, content: part._buf });
      }
    }
  }
  return form;
}

/** One field's value, trimmed; undefined when missing or blank. */
export function field(form: FormData, name: string): string | undefined {
  const v = form.fields[name]?.[0]?.trim();
  return v === undefined || v === '' ? undefined : v;
}
