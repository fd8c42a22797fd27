import { createReadStream, closeSync, openSync, readSync } from 'node:fs';
import { Parser, type CsvError, type Options } from 'csv-parse';
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

/** readSourceChunks one item at a time (tests, small files). */
export async function* readSource(path: string, format: SourceFormat): AsyncGenerator<ReadItem> {
  for await (const chunk of readSourceChunks(path, format)) for (const item of chunk) yield item instanceof SourceRow ? { row: item } : { reject: item };
}

/**
 * Stream the records of a CSV file (flat memory: one chunk of the file at a time), each with the
 * line it starts on, in file order. Records the parser cannot read (broken quoting, wrong field
 * count, bytes invalid in the encoding) come out as rejects with their line; the header is not
 * yielded. Records are taken from the parser synchronously, a chunk's worth per step: no stream
 * hop and no promise per record.
 */
export async function* readSourceChunks(path: string, format: SourceFormat): AsyncGenerator<(SourceRow | Reject)[]> {
  let items: (SourceRow | Reject)[] = [];
  let lastEnd = 0;
  let emptyBefore = 0;
  let overcount = 0;
  let headerSeen = false;
  // Each record with the parser's line count when it ended (csv-parse counts a CRLF inside quotes
  // as two lines: those are taken back out).
  const onRecord = (record: string[], lines: number, emptyLines: number): void => {
    let breaks = 0;
    for (let i = 0; i < record.length; i++) {
      const field = record[i]!;
      if (field.indexOf('\n') < 0 && field.indexOf('\r') < 0) continue;
      for (const m of field.matchAll(/\r\n|\r|\n/g)) {
        breaks++;
        if (m[0] === '\r\n') overcount++;
      }
    }
    lastEnd = lines - overcount;
    emptyBefore = emptyLines;
    if (!headerSeen) headerSeen = true;
    else items.push(toItem(record, lastEnd - breaks, format));
  };
  const options = {
    delimiter: format.delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    bom: true,
    on_skip: (csvErr: CsvError | undefined) => {
      const err = csvErr as (CsvError & { lines?: number; empty_lines?: number }) | undefined;
      // One broken record can raise several errors on the same line: report it once.
      if (!err || (err.lines !== undefined && err.lines - overcount <= lastEnd)) return;
      const line = lastEnd + 1 + ((err.empty_lines ?? emptyBefore) - emptyBefore);
      items.push({ line, reason: describeParseError(err, line) });
      lastEnd = err.lines !== undefined ? err.lines - overcount : lastEnd;
      emptyBefore = err.empty_lines ?? emptyBefore;
      return undefined;
    },
  };
  const parser = new RecordTaker(options as unknown as Options, onRecord);
  let failure: Error | undefined;
  parser.on('error', (e) => (failure = e));
  const finished = new Promise<void>((resolve) => parser.on('finish', resolve));
  // UTF-8 goes to the parser as the file's bytes (it decodes each field, U+FFFD for invalid bytes,
  // and drops the BOM); other encodings are decoded to text first.
  const td = format.encoding.encoding === 'utf-8' ? undefined : new TextDecoder(format.encoding.encoding);
  const take = () => {
    if (failure) throw failure;
    const out = items;
    items = [];
    return out;
  };
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) {
    parser.write(td ? td.decode(chunk as Buffer, { stream: true }) : chunk);
    const out = take();
    if (out.length > 0) yield out;
  }
  const rest = td?.decode() ?? '';
  if (rest !== '') parser.write(rest);
  parser.end();
  await Promise.race([finished, new Promise((resolve) => parser.on('error', resolve))]);
  const out = take();
  if (out.length > 0) yield out;
}

/**
 * csv-parse's stream parser, its records taken as they are produced, with the line count of its
 * public `info` (an on_record callback would build an info object per record: a third of the
 * parser's time on a large file). Nothing reaches the stream's readable side.
 */
class RecordTaker extends Parser {
  readonly #onRecord: (record: string[], lines: number, emptyLines: number) => void;

  constructor(options: Options, onRecord: (record: string[], lines: number, emptyLines: number) => void) {
    super(options);
    this.#onRecord = onRecord;
  }

  override push(record: unknown): boolean {
    if (record !== null) this.#onRecord(record as string[], this.info.lines, this.info.empty_lines);
    return true;
  }
}

function toItem(fields: string[], line: number, format: SourceFormat): SourceRow | Reject {
  if (fields.length !== format.header.length) {
    const row = new SourceRow(line, fields, format.header);
    return { line, reason: `${fields.length} fields where the header has ${format.header.length} (a missing or extra delimiter?)`, record: row.record };
  }
  for (let i = 0; i < fields.length; i++) {
    if (fields[i]!.indexOf('\uFFFD') < 0) continue;
    const column = format.header[i]!;
    return { line, field: column, reason: `bytes that are not valid ${format.encoding.encoding} in "${column}" (is the file in another encoding? give --encoding)`, record: new SourceRow(line, fields, format.header).record };
  }
  return new SourceRow(line, fields, format.header);
}

function describeParseError(err: Error & { code?: string }, line: number): string {
  if (err.code === 'CSV_QUOTE_NOT_CLOSED') return `a quote opened on line ${line} is never closed: the rest of the file could not be read`;
  if (err.code === 'CSV_INVALID_CLOSING_QUOTE' || err.code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE') {
    return 'broken quoting: text after a closing quote (a quote inside a field must be doubled: "")';
  }
  if (err.code === 'CSV_INVALID_OPENING_QUOTE') return 'broken quoting: a quote in the middle of an unquoted field';
  return `unreadable record: ${err.message.split('\n')[0]}`;
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
