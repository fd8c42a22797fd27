import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inputError } from '../core/errors.js';
import { escapeHtml } from '../escape/html.js';
import { eventKinds, type EventKind } from './message.js';
import { templateNames } from './render-data.js';

/** The shipped templates, beside the shipped policy: <package root>/policy/messages/<event>.{txt,html}. */
export const shippedTemplatesDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'policy', 'messages');

export interface Template {
  event: EventKind;
  /** The subject line (the .txt file's first line, "Subject: ..."). */
  subject: string;
  text: string;
  html: string;
  files: { text: string; html: string };
}

const placeholder = /\{\{\s*([A-Za-z]+)\s*\}\}/g;
const known = new Set<string>(templateNames);

/**
 * Every event's template, read once: from `dir` (a consultancy's own) when the file is there, else the shipped
 * one. A broken template (no Subject line, an unknown {{name}}) is an input error naming file:line:column.
 */
export function loadTemplates(dir?: string): Map<EventKind, Template> {
  const out = new Map<EventKind, Template>();
  for (const event of eventKinds) {
    const pick = (ext: string) => {
      const own = dir ? resolve(dir, `${event}.${ext}`) : undefined;
      return own && existsSync(own) ? own : join(shippedTemplatesDir, `${event}.${ext}`);
    };
    const files = { text: pick('txt'), html: pick('html') };
    const rawText = readTemplate(files.text);
    const html = readTemplate(files.html);
    const m = /^Subject:[ \t]*(.*)\r?\n\r?\n?/.exec(rawText);
    if (!m)
      throw inputError('a message template must start with its subject line', {
        where: `${files.text}:1:1`,
        fix: 'make the first line "Subject: ..." followed by an empty line, then the text',
      });
    out.set(event, { event, subject: m[1]!, text: rawText.slice(m[0].length), html, files });
  }
  return out;
}

function readTemplate(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw inputError(`cannot read the message template: ${(e as Error).message}`, {
      where: file,
      fix: 'restore the file, or remove it from your template directory to use the shipped one',
    });
  }
  for (const m of text.matchAll(placeholder)) {
    if (known.has(m[1]!)) continue;
    const before = text.slice(0, m.index);
    const line = before.split('\n').length;
    const col = m.index - before.lastIndexOf('\n');
    throw inputError(`unknown name {{${m[1]}}} in a message template`, {
      where: `${file}:${line}:${col}`,
      fix: `use one of: ${templateNames.join(', ')}`,
    });
  }
  return text;
}

/** Plain text: values as they are (the body of a text/plain part is not markup). */
export function renderText(template: string, values: Record<string, string>): string {
  return template.replace(placeholder, (_, name: string) => values[name] ?? '');
}

/** HTML: every value escaped, its line breaks kept as <br>. */
export function renderHtml(template: string, values: Record<string, string>): string {
  return template.replace(placeholder, (_, name: string) =>
    escapeHtml(values[name] ?? '').replace(/\r?\n/g, '<br>\n'),
  );
}

/**
 * A header value on one line: every control character (CR, LF, NUL, ...) becomes a space, so a value with a
 * newline can never start a header of its own (the mail library encodes the rest).
 */
export function oneHeaderLine(text: string, max = 250): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/ {2,}/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
