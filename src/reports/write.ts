import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderPdf } from './pdf.js';

/** Write a document as <name>.html and, unless told not to, <name>.pdf rendered by Chromium. */
export interface WrittenDocument {
  html: string;
  pdf?: string;
}

export async function writeDocument(
  dir: string,
  name: string,
  html: string,
  o: { pdf: boolean; footer: string },
): Promise<WrittenDocument> {
  mkdirSync(dir, { recursive: true });
  const htmlPath = join(dir, `${name}.html`);
  writeFileSync(htmlPath, html);
  if (!o.pdf) return { html: htmlPath };
  const pdfPath = join(dir, `${name}.pdf`);
  writeFileSync(pdfPath, await renderPdf(html, o.footer));
  return { html: htmlPath, pdf: pdfPath };
}
