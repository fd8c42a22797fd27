import { createReadStream, closeSync, openSync, readSync } from 'node:fs';
import { Transform } from 'node:stream';
import { parse, type CsvError, type InfoRecord, type Options } from 'csv-parse';
import { inputError } from '../core/errors.js';
import { detectEncoding, type DetectedEncoding, type SourceEncoding } from './encoding.js';
import { detectDelimiter, type Delimiter } from './delimiter.js';
import type { Reject } from './types.js';
import { SourceRow } from './source-row.js';

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
  const dupes = header.filter((h) => (seen.has(h) ? true : (seen.add(h), false)));
  if (dupes.length > 0) throw inputError(`the header names a column twice: ${dupes.join(', ')}`, { where: `${path}:1`, fix: 'rename the duplicate columns' });
  return { encoding: detected, delimiter, header };
}

/**
 * Stream the records of a CSV file (flat memory: one record at a time), each with the line it
 * starts on. Records the parser cannot read (broken quoting, wrong field count, bytes invalid in
 * the encoding) come out as rejects with their line; the header is not yielded.
 */
export async function* readSource(path: string, format: SourceFormat): AsyncGenerator<ReadItem> {
  // Lines are counted in parse order (on_record / on_skip run synchronously inside the parser),
  // not when the consumer gets a record: the stream reads ahead.
  const skipped: Reject[] = [];
  let lastEnd = 0;
  let emptyBefore = 0;
  let overcount = 0;
  const options = {
    delimiter: format.delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_record: (record: string[], context: InfoRecord): { record: string[]; line: number } => {
      // csv-parse counts a CRLF inside quotes as two lines: take those back out.
      let breaks = 0;
      for (const field of record) {
        if (!field.includes('\n') && !field.includes('\r')) continue;
        for (const m of field.matchAll(/\r\n|\r|\n/g)) {
          breaks++;
          if (m[0] === '\r\n') overcount++;
        }
      }
      lastEnd = context.lines - overcount;
      emptyBefore = context.empty_lines;
      return { record, line: lastEnd - breaks };
    },
    on_skip: (csvErr: CsvError | undefined) => {
      const err = csvErr as (CsvError & { lines?: number; empty_lines?: number }) | undefined;
      // One broken record can raise several errors on the same line: report it once.
      if (!err || (err.lines !== undefined && err.lines - overcount <= lastEnd)) return;
      const line = lastEnd + 1 + ((err.empty_lines ?? emptyBefore) - emptyBefore);
      skipped.push({ line, reason: describeParseError(err, line) });
      lastEnd = err.lines !== undefined ? err.lines - overcount : lastEnd;
      emptyBefore = err.empty_lines ?? emptyBefore;
      return undefined;
    },
  };
  const parser = parse(options as unknown as Options);
  const decoded = createReadStream(path).pipe(decoder(format.encoding.encoding));
  decoded.on('error', (e) => parser.destroy(e));
  const stream = decoded.pipe(parser);
  let headerSeen = false;
  for await (const item of stream as AsyncIterable<{ record: string[]; line: number }>) {
    while (skipped.length > 0 && skipped[0]!.line < item.line) yield { reject: skipped.shift()! };
    if (!headerSeen) {
      headerSeen = true;
      continue;
    }
    yield toItem(item.record, item.line, format);
  }
  while (skipped.length > 0) yield { reject: skipped.shift()! };
}

function toItem(fields: string[], line: number, format: SourceFormat): ReadItem {
  const row = new SourceRow(line, fields, format.header);
  if (fields.length !== format.header.length) {
    return { reject: { line, reason: `${fields.length} fields where the header has ${format.header.length} (a missing or extra delimiter?)`, record: row.record } };
  }
  const bad = fields.findIndex((f) => f.includes('\uFFFD'));
  if (bad >= 0) {
    const column = format.header[bad]!;
    return { reject: { line, field: column, reason: `bytes that are not valid ${format.encoding.encoding} in "${column}" (is the file in another encoding? give --encoding)`, record: row.record } };
  }
  return { row };
}

function describeParseError(err: Error & { code?: string }, line: number): string {
  if (err.code === 'CSV_QUOTE_NOT_CLOSED') return `a quote opened on line ${line} is never closed: the rest of the file could not be read`;
  if (err.code === 'CSV_INVALID_CLOSING_QUOTE' || err.code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE') {
    return 'broken quoting: text after a closing quote (a quote inside a field must be doubled: "")';
  }
  if (err.code === 'CSV_INVALID_OPENING_QUOTE') return 'broken quoting: a quote in the middle of an unquoted field';
  return `unreadable record: ${err.message.split('\n')[0]}`;
}

/** Bytes -> text in the detected encoding; the BOM is dropped by TextDecoder. */
function decoder(encoding: SourceEncoding): Transform {
  const td = new TextDecoder(encoding);
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      done(null, td.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, td.decode());
    },
  });
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
