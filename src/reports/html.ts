/**
 * The HTML every document is built from: escaped text, tables, sections, and one print stylesheet (A4,
 * page breaks before top-level sections) so the same page reads on screen and prints to PDF through Chromium.
 */
import { escapeHtml, link } from '../escape/html.js';

/** Escaped text (src/escape/html.ts); `link` makes an <a> only for http(s)/mailto/#anchor targets. */
export const esc = escapeHtml;
export { link };

export function table(headers: string[], rows: unknown[][], empty = 'none'): string {
  if (rows.length === 0) return `<p class="muted">${esc(empty)}</p>`;
  const head = headers.map((h) => `<th>${esc(h)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${r.map((c) => `<td>${c instanceof Raw ? c.html : esc(c)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** Already-safe HTML inside a table cell. */
export class Raw {
  constructor(readonly html: string) {}
}
export const raw = (html: string) => new Raw(html);

export function section(id: string, title: string, body: string, opts: { pageBreak?: boolean } = {}): string {
  return `<section id="${esc(id)}"${opts.pageBreak ? ' class="break"' : ''}><h2>${esc(title)}</h2>\n${body}\n</section>`;
}

export const dl = (pairs: [string, unknown][]) =>
  `<dl>${pairs.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v instanceof Raw ? v.html : esc(v)}</dd>`).join('')}</dl>`;

export const code = (lines: string[]) => `<pre><code>${esc(lines.join('\n'))}</code></pre>`;

const css = `
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10.5pt; color: #1d2430; line-height: 1.4; }
h1 { font-size: 20pt; margin: 0 0 4mm; color: #0b3d63; }
h2 { font-size: 14pt; color: #0b3d63; border-bottom: 1px solid #c9d3de; padding-bottom: 1mm; margin-top: 8mm; }
h3 { font-size: 11.5pt; margin: 5mm 0 2mm; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; font-size: 9pt; }
th, td { border: 1px solid #c9d3de; padding: 1.2mm 2mm; text-align: left; vertical-align: top; }
th { background: #eef3f8; }
tr { page-break-inside: avoid; }
pre { background: #f4f6f8; border: 1px solid #dde3ea; padding: 2mm 3mm; font-size: 8.5pt; white-space: pre-wrap; word-break: break-all; }
dl { display: grid; grid-template-columns: 48mm 1fr; gap: 1mm 4mm; margin: 2mm 0 4mm; }
dt { font-weight: bold; } dd { margin: 0; }
.muted { color: #6b7785; } .pass { color: #17663a; font-weight: bold; } .fail { color: #a4161a; font-weight: bold; }
.warn { color: #8a5a00; font-weight: bold; } .skip { color: #6b7785; font-weight: bold; }
.cover { border-bottom: 3px solid #0b3d63; margin-bottom: 6mm; padding-bottom: 3mm; }
.break { page-break-before: always; }
.sign { display: grid; grid-template-columns: 1fr 1fr; gap: 8mm; margin-top: 6mm; }
.sign div { border-top: 1px solid #1d2430; padding-top: 1mm; min-height: 18mm; }
svg { max-width: 100%; height: auto; }
`;

export function page(title: string, subtitle: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${css}</style></head>
<body><header class="cover"><h1>${esc(title)}</h1><p class="muted">${esc(subtitle)}</p></header>
${body}
</body></html>
`;
}

export const status = (s: string) => raw(`<span class="${esc(s)}">${esc(s)}</span>`);
