import { createReadStream, closeSync, openSync, readSync } from 'node:fs';
import { inputError } from '../core/errors.js';
import { detectEncoding, type DetectedEncoding, type SourceEncoding } from './encoding.js';
import { detectDelimiter, type Delimiter } from './delimiter.js';
import type { Reject } from './types.js';
import { SourceRow } from './source-row.js';
import { RecordSplitter, splitRecord, type SplitRecord } from './records.js';
import { RecordCounter } from './record-count.js';

export interface SourceFormat {
  encoding: DetectedEncoding;
  delimiter: Delimiter;
  header: string[];
}

export type ReadItem = { row: SourceRow } | { reject: Reject };

/** Detect encoding and delimiter and read the header; fails (input error) when there is no header. */
export function inspectSource(path: string, encoding?: SourceEncoding): SourceFormat {
  const detected = encoding ? { encoding, bom: false, reason: 'given with --encoding' } : detectEncoding(path);
  const sample = readSample(path, detected.encoding);
  const delimiter = detectDelimiter(sample);
  const firstLine = sample.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const header = splitHeader(firstLine, delimiter);
  if (header.length === 0 || header.every((h) => h === '')) throw inputError('the file has no header line', { where: path, fix: 'the first line must name the columns' });
  const seen = new Set<string>();
  // Our own columns of a rejects CSV fed again are not data (the mapping never reads them).
  const dupes = header.filter((h) => !h.startsWith('mokodeploy_') && (seen.has(h) ? true : (seen.add(h), false)));
  if (dupes.length > 0) throw inputError(`the header names a column twice: ${dupes.join(', ')}`, { where: `${path}:1`, fix: 'rename the duplicate columns' });
  return { encoding: detected, delimiter, header };
}

/** What the reader saw besides the records: the independent count, and what recovery did. */
export interface ReadStats {
  /** Records after the header, counted by the second scanner (record-count.ts), not by the splitter. */
  scanned: number;
  /** Physical lines of the file, header and empty lines included. */
  lines: number;
  /** Recovery: each unclosed quote cut after its line, and the line read again from. */
  recoveries: { line: number; resumeLine: number }[];
}

export interface ReadOptions {
  /** Read the lines after an unclosed quote again as new records (records.ts). */
  recover?: boolean;
  /** Filled in as the file is read (complete once the generator is done). */
  stats?: ReadStats;
}

export function newReadStats(): ReadStats {
  return { scanned: 0, lines: 0, recoveries: [] };
}

/** readSourceChunks one item at a time (tests, small files). */
export async function* readSource(path: string, format: SourceFormat, opts: ReadOptions = {}): AsyncGenerator<ReadItem> {
  for await (const chunk of readSourceChunks(path, format, opts)) for (const item of chunk) yield item instanceof SourceRow ? { row: item } : { reject: item };
}

/**
 * Stream the records of a CSV file (flat memory: one chunk of the file at a time), each with the
 * line it starts on, in file order. Records that cannot be read (broken quoting, wrong field
 * count, NUL characters, bytes invalid in the encoding) come out as rejects with their line, the
 * exact reason and their raw text; the header is not yielded. A second scanner counts the same
 * records on the same text (ReadStats.scanned), for the reconciliation.
 */
export async function* readSourceChunks(path: string, format: SourceFormat, opts: ReadOptions = {}): AsyncGenerator<(SourceRow | Reject)[]> {
  // The decoder drops a byte order mark and gives U+FFFD for bytes invalid in the encoding.
  const td = new TextDecoder(format.encoding.encoding);
  async function* texts(): AsyncGenerator<string> {
    for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) yield td.decode(chunk as Buffer, { stream: true });
    yield td.decode();
  }
  yield* readTextChunks(texts(), format, opts);
}

/** readSourceChunks on text already decoded, in pieces cut anywhere (the property test cuts them at random). */
export async function* readTextChunks(texts: AsyncIterable<string> | Iterable<string>, format: SourceFormat, opts: ReadOptions = {}): AsyncGenerator<(SourceRow | Reject)[]> {
  const recover = opts.recover ?? false;
  const splitter = new RecordSplitter(format.delimiter, recover);
  const counter = new RecordCounter(format.delimiter, recover);
  const stats = opts.stats ?? newReadStats();
  let headerSeen = false;
  const take = (records: SplitRecord[]): (SourceRow | Reject)[] => {
    const out: (SourceRow | Reject)[] = [];
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      if (!headerSeen) {
        headerSeen = true;
        continue;
      }
      if (r.recovered) stats.recoveries.push({ line: r.line + r.lines - 1, resumeLine: r.recovered.resumeLine });
      out.push(toItem(r, format, recover));
    }
    return out;
  };
  let first = true;
  for await (let text of texts) {
    if (first && text !== '') {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (text === '') continue;
    const records: SplitRecord[] = [];
    counter.push(text);
    splitter.push(text, records);
    const out = take(records);
    if (out.length > 0) yield out;
  }
  const records: SplitRecord[] = [];
  counter.end();
  splitter.end(records);
  stats.scanned = counter.records;
  stats.lines = counter.lines;
  const out = take(records);
  if (out.length > 0) yield out;
}

function toItem(r: SplitRecord, format: SourceFormat, recover: boolean): SourceRow | Reject {
  const line = r.line;
  if (r.broken !== undefined) {
    const span = r.lines > 1 ? ` (lines ${line}-${line + r.lines - 1})` : '';
    const hint = !recover && r.quoteOpened && r.lines > 1 ? `; with --recover-quotes the lines after line ${r.quoteOpened.line} are read again as records` : '';
    return { line, reason: `broken quoting${span}: ${r.broken}${hint}`, raw: r.raw };
  }
  const fields = fedRaw(r.fields, format) ?? r.fields;
  if (fields.length !== format.header.length) {
    const quote = r.quoteOpened ? `; a quote opened at line ${r.quoteOpened.line}, col ${r.quoteOpened.col} runs to line ${line + r.lines - 1}: is it closed?` : ' (a missing or extra delimiter?)';
    return { line, reason: `${fields.length} fields where the header has ${format.header.length}${quote}`, record: new SourceRow(line, fields, format.header).record, raw: r.raw };
  }
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (f.indexOf('\uFFFD') < 0 && f.indexOf('\0') < 0) continue;
    const column = format.header[i]!;
    const reason = f.indexOf('\0') >= 0
      ? `a NUL character in "${column}" (a damaged or binary file?)`
      : `bytes that are not valid ${format.encoding.encoding} in "${column}" (is the file in another encoding? give --encoding)`;
    return { line, field: column, reason, record: new SourceRow(line, fields, format.header).record };
  }
  return new SourceRow(line, fields, format.header);
}

/**
 * A rejects CSV fed again: a record that could not be split the first time has empty columns and
 * its text in mokodeploy_raw; once that text is fixed, its fields are read from it.
 */
function fedRaw(fields: string[], format: SourceFormat): string[] | undefined {
  const at = format.header.indexOf('mokodeploy_raw');
  const raw = at < 0 ? '' : (fields[at] ?? '');
  if (raw === '' || fields.length !== format.header.length) return undefined;
  const data = format.header.map((h, i) => (h.startsWith('mokodeploy_') ? -1 : i)).filter((i) => i >= 0);
  if (data.some((i) => fields[i] !== '')) return undefined;
  const record = splitRecord(raw, format.delimiter);
  if (!record || record.broken !== undefined || record.fields.length !== data.length) return undefined;
  const out = fields.slice();
  data.forEach((col, i) => (out[col] = record.fields[i]!));
  return out;
}

function readSample(path: string, encoding: SourceEncoding): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return new TextDecoder(encoding).decode(buf.subarray(0, n), { stream: true });
  } finally {
    closeSync(fd);
  }
}

/** The header line split by the delimiter (quotes removed, names trimmed). */
function splitHeader(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '"') {
      if (quoted && line[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = !quoted;
    } else if (c === delimiter && !quoted) {
      out.push(field.trim());
      field = '';
    } else field += c;
  }
  out.push(field.replace(/\r$/, '').trim());
  return out;
}
