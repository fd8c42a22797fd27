/**
 * The CSV record splitter: decoded text in, records out, each with the line it starts on, the
 * physical lines it spans and, when it cannot be read, its raw text (every line it spans) and the
 * exact reason with line and column. Written for this job rather than taken from csv-parse: what
 * matters here is what happens to a broken record (where it ends, what it swallowed, what can be
 * read again after it), and csv-parse's error recovery hides exactly that (issue 15: one unclosed
 * quote ate the next good row without a word). record-count.ts counts the same records by a
 * second, independent scanner; the reader compares the two.
 *
 * Grammar (RFC 4180 with the usual tolerance): records end at \n or \r\n outside quotes; empty
 * lines are skipped; a field is quoted only when its first character is a quote; inside quotes
 * "" is a quote. Broken: a quote inside an unquoted field, text after a closing quote (the record
 * ends at the end of that line), the file ending inside quotes (the record ends there).
 * Recovery (optional): a broken record, or one with the wrong number of fields, whose quoted field
 * ran over a line break is cut after the line where that quote opened; the next line is read again
 * as a new record.
 */
export interface SplitRecord {
  line: number;
  /** Physical lines the record spans (a quoted line break adds one). */
  lines: number;
  fields: string[];
  /** The record's text as in the file, kept only when it cannot be read as it is (broken, or a wrong field count). */
  raw?: string;
  /** Why the record could not be read (broken quoting): with line and column. */
  broken?: string;
  /** A quoted field that runs over a line break: where its quote opened (the hint for a wrong field count). */
  quoteOpened?: { line: number; col: number };
  /** Recovery cut this record after its unclosed quote: the lines from `resumeLine` were read again. */
  recovered?: { resumeLine: number };
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

interface Parsed {
  record: SplitRecord;
  /** Offset where the next record starts. */
  next: number;
}

/** Split text into records, chunk by chunk (a record cut by a chunk's end waits for the next chunk). */
export class RecordSplitter {
  #buf = '';
  #line = 1;
  #expected = -1;
  #retryAt = 0;
  readonly #delimiter: string;
  readonly #recover: boolean;

  constructor(delimiter: string, recover: boolean) {
    this.#delimiter = delimiter;
    this.#recover = recover;
  }

  /** Records complete in the text so far; the first is the header. */
  push(text: string, out: SplitRecord[]): void {
    this.#buf = this.#buf === '' ? text : this.#buf + text;
    // A record longer than a chunk (an unclosed quote): parse again only once the buffer doubled.
    if (this.#buf.length < this.#retryAt) return;
    this.#drain(false, out);
  }

  end(out: SplitRecord[]): void {
    this.#drain(true, out);
    this.#buf = '';
  }

  #drain(eof: boolean, out: SplitRecord[]): void {
    const s = this.#buf;
    let pos = 0;
    // The next quote, searched once and reused: a file without quotes is not searched per record.
    let q = s.indexOf('"');
    while (pos < s.length) {
      const c = s.charCodeAt(pos);
      if (c === LF || (c === CR && s.charCodeAt(pos + 1) === LF)) {
        pos += c === LF ? 1 : 2;
        this.#line++;
        continue;
      }
      if (c === CR && pos + 1 === s.length && !eof) break;
      if (q >= 0 && q < pos) q = s.indexOf('"', pos);
      const p = parseRecord(s, pos, q, this.#line, eof, this.#delimiter, this.#expected, this.#recover);
      if (!p) break;
      if (this.#expected < 0) this.#expected = p.record.fields.length;
      out.push(p.record);
      this.#line += p.record.lines;
      pos = p.next;
    }
    this.#buf = s.slice(pos);
    this.#retryAt = pos === 0 && !eof ? s.length * 2 : 0;
  }
}

/** One record's text on its own (a fixed raw text from a rejects CSV); undefined unless it is exactly one record. */
export function splitRecord(text: string, delimiter: string): SplitRecord | undefined {
  const p = parseRecord(text, 0, text.indexOf('"'), 1, true, delimiter, -1, false);
  return p && p.next >= text.length ? p.record : undefined;
}

/** One record from `start` (not an empty line), or undefined when the text ends before it does. */
function parseRecord(s: string, start: number, q: number, line: number, eof: boolean, d: string, expected: number, recover: boolean): Parsed | undefined {
  const dc = d.charCodeAt(0);
  const nl = s.indexOf('\n', start);
  // Fast path: a line without quotes.
  if (q < 0 || (nl >= 0 && q > nl)) {
    if (nl < 0 && !eof) return undefined;
    const end = nl < 0 ? s.length : nl;
    const text = s.slice(start, end > start && s.charCodeAt(end - 1) === CR ? end - 1 : end);
    const record: SplitRecord = { line, lines: 1, fields: text.split(d) };
    if (expected >= 0 && record.fields.length !== expected) record.raw = text;
    return { record, next: nl < 0 ? s.length : nl + 1 };
  }
  const fields: string[] = [];
  let i = start;
  let breaks = 0;
  let lineStart = start;
  let firstBreak = -1;
  let opened: { line: number; col: number } | undefined;
  let error: string | undefined;
  const at = (offset: number) => `line ${line + breaks}, col ${offset - lineStart + 1}`;
  for (;;) {
    if (i < s.length && s.charCodeAt(i) === QUOTE) {
      const openLine = line + breaks;
      const openCol = i - lineStart + 1;
      let value = '';
      let j = i + 1;
      let closed = -1;
      for (;;) {
        const k = s.indexOf('"', j);
        const segEnd = k < 0 ? s.length : k;
        for (let n = s.indexOf('\n', j); n >= 0 && n < segEnd; n = s.indexOf('\n', n + 1)) {
          breaks++;
          lineStart = n + 1;
          if (firstBreak < 0) {
            firstBreak = n + 1;
            opened = { line: openLine, col: openCol };
          }
        }
        if (k < 0) break;
        value += s.slice(j, k);
        if (k + 1 === s.length && !eof) return undefined;
        if (s.charCodeAt(k + 1) === QUOTE) {
          value += '"';
          j = k + 2;
          continue;
        }
        closed = k;
        break;
      }
      if (closed < 0) {
        if (!eof) return undefined;
        error = `unclosed quote opened at line ${openLine}, col ${openCol} (the file ends inside it)`;
        opened ??= { line: openLine, col: openCol };
        i = s.length;
        // The file's last line break ends its last line, it does not start another one.
        if (s.charCodeAt(i - 1) === LF) {
          i--;
          breaks--;
          if (firstBreak === s.length) firstBreak = -1;
        }
        break;
      }
      fields.push(value);
      i = closed + 1;
      if (i === s.length) {
        if (!eof) return undefined;
        break;
      }
      const c = s.charCodeAt(i);
      if (c === dc) {
        i++;
        continue;
      }
      if (c === LF) break;
      if (c === CR) {
        if (i + 1 === s.length && !eof) return undefined;
        if (s.charCodeAt(i + 1) === LF) {
          i++;
          break;
        }
      }
      error = `text after the closing quote at ${at(i)} (a quote inside a quoted field must be doubled: "")`;
      if (opened && opened.line < line + breaks) error = `unclosed quote opened at line ${opened.line}, col ${opened.col}: it runs on to line ${line + breaks}, where there is ${error}`;
      break;
    }
    // An unquoted field: up to the delimiter or the line's end; a quote inside it is an error.
    let j = i;
    let c = -1;
    while (j < s.length) {
      c = s.charCodeAt(j);
      if (c === dc || c === LF || c === QUOTE) break;
      j++;
    }
    if (j === s.length) {
      if (!eof) return undefined;
      fields.push(s.slice(i, j));
      i = j;
      break;
    }
    if (c === QUOTE) {
      error = `a quote in the middle of an unquoted field at ${at(j)} (quote the whole field and double the quote: "")`;
      i = j;
      break;
    }
    fields.push(s.slice(i, c === LF && j > i && s.charCodeAt(j - 1) === CR ? j - 1 : j));
    i = j;
    if (c === LF) break;
    i++;
  }
  // i is at the record's line break (or the end); a broken record runs to the end of its line.
  if (error && i < s.length && s.charCodeAt(i) !== LF) {
    const n = s.indexOf('\n', i);
    if (n < 0 && !eof) return undefined;
    i = n < 0 ? s.length : n;
  }
  const next = i < s.length ? i + 1 : i;
  const lines = breaks + 1;
  const wrongCount = expected >= 0 && fields.length !== expected;
  if (recover && firstBreak >= 0 && (error || wrongCount)) {
    const cut = firstBreak - 1;
    const cutLines = opened!.line - line + 1;
    const raw = stripCr(s.slice(start, cut));
    return {
      record: { line, lines: cutLines, fields: [], raw, broken: `unclosed quote opened at line ${opened!.line}, col ${opened!.col}`, recovered: { resumeLine: opened!.line + 1 } },
      next: firstBreak,
    };
  }
  const record: SplitRecord = { line, lines, fields };
  if (opened) record.quoteOpened = opened;
  if (error) record.broken = error;
  if (error || wrongCount) record.raw = stripCr(s.slice(start, i));
  return { record, next };
}

function stripCr(raw: string): string {
  return raw.charCodeAt(raw.length - 1) === CR ? raw.slice(0, -1) : raw;
}
