import { describe, expect, it } from 'vitest';
import { detectEncodingOf } from '../../src/migrate/encoding.js';
import { detectDelimiter } from '../../src/migrate/delimiter.js';
import { inspectSource, newReadStats, readSource } from '../../src/migrate/read.js';
import { recordCountProblems } from '../../src/migrate/record-check.js';
import { rejectsCsv } from '../../src/migrate/write-report.js';
import type { Reject } from '../../src/migrate/types.js';
import { csvDir } from '../helpers/migrate-files.js';

async function readAll(path: string) {
  const format = inspectSource(path);
  const items = [];
  for await (const item of readSource(path, format)) items.push('row' in item ? { row: { line: item.row.line, record: item.row.record } } : item);
  return { format, items };
}

describe('migrate read: encoding, delimiter, lines', () => {
  it('says which encoding and why', () => {
    expect(detectEncodingOf(Buffer.from('\uFEFFa,b\n', 'utf8'))).toEqual({ encoding: 'utf-8', bom: true, reason: 'UTF-8 byte order mark' });
    expect(detectEncodingOf(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n', 'utf16le')])).encoding).toBe('utf-16le');
    expect(detectEncodingOf(Buffer.from('a,b\nc,d\n', 'utf16le'))).toMatchObject({ encoding: 'utf-16le', bom: false });
    expect(detectEncodingOf(Buffer.from('nom\nCafé\n', 'utf8')).encoding).toBe('utf-8');
    expect(detectEncodingOf(Buffer.from('nom\nCafé\n', 'latin1'))).toEqual({ encoding: 'windows-1252', bom: false, reason: 'not valid UTF-8 (byte 0xe9 at offset 7): read as latin1 (windows-1252)' });
  });

  it('a multi-byte character cut at the end of the sample is not an encoding error', () => {
    const buf = Buffer.from('a,é', 'utf8');
    expect(detectEncodingOf(buf.subarray(0, buf.length - 1), true).encoding).toBe('utf-8');
  });

  it('picks the delimiter that splits lines consistently, ignoring quoted parts', () => {
    expect(detectDelimiter('a;b;c\n1;"2,5";3\n4;5;6\n')).toBe(';');
    expect(detectDelimiter('a,b,c\n"x;y",2,3\n')).toBe(',');
    expect(detectDelimiter('a\tb\n1\t2\n')).toBe('\t');
    expect(detectDelimiter('a|b|c\n"multi\nline"|2|3\n')).toBe('|');
  });

  it('gives each record the line it starts on, across quoted newlines and empty lines', async () => {
    const f = csvDir();
    const path = f.write('x.csv', 'id,text\r\n1,"two\r\nlines"\r\n\r\n2,plain\r\n3,"a ""quoted"" word"\r\n');
    const { format, items } = await readAll(path);
    expect(format.header).toEqual(['id', 'text']);
    expect(items).toEqual([
      { row: { line: 2, record: { id: '1', text: 'two\r\nlines' } } },
      { row: { line: 5, record: { id: '2', text: 'plain' } } },
      { row: { line: 6, record: { id: '3', text: 'a "quoted" word' } } },
    ]);
  });

  it('refuses a header naming a column twice', () => {
    const f = csvDir();
    expect(() => inspectSource(f.write('d.csv', 'id,name,name\n1,a,b\n'))).toThrow(/names a column twice: name/);
  });
});

describe('migrate read: a broken record never takes a good one with it (issue 15)', () => {
  const products = () => {
    const lines = ['SKU,Name,Price,VAT Rate'];
    for (let i = 1; i <= 300; i++) lines.push(i === 150 ? 'P0150,"Unterminated label,12.50,20' : `P${String(i).padStart(4, '0')},"Label ${i}",12.50,20`);
    return `${lines.join('\n')}\n`;
  };

  async function read(path: string, recover: boolean) {
    const stats = newReadStats();
    const rows: string[] = [];
    const rejects: Reject[] = [];
    for await (const item of readSource(path, inspectSource(path), { recover, stats })) {
      if ('row' in item) rows.push(item.row.fields[0]!);
      else rejects.push(item.reject);
    }
    return { rows, rejects, stats };
  }

  it('an unclosed quote: one reject with the raw text of every line it spans and where the quote opened; the file\'s record count agrees', async () => {
    const path = csvDir().write('products.csv', products());
    const { rows, rejects, stats } = await read(path, false);
    expect(rows).toHaveLength(298);
    expect(rows).not.toContain('P0151');
    expect(rejects).toEqual([{
      line: 151,
      reason: 'broken quoting (lines 151-152): unclosed quote opened at line 151, col 7: it runs on to line 152, where there is text after the closing quote at line 152, col 8 (a quote inside a quoted field must be doubled: ""); with --recover-quotes the lines after line 151 are read again as records',
      raw: 'P0150,"Unterminated label,12.50,20\nP0151,"Label 151",12.50,20',
    }]);
    expect(stats).toEqual({ scanned: 299, lines: 301, recoveries: [] });
  });

  it('recovery: the line after the unclosed quote is read again as a record, and the reader says so', async () => {
    const path = csvDir().write('products.csv', products());
    const { rows, rejects, stats } = await read(path, true);
    expect(rows).toHaveLength(299);
    expect(rows).toContain('P0151');
    expect(rejects).toEqual([{ line: 151, reason: 'broken quoting: unclosed quote opened at line 151, col 7', raw: 'P0150,"Unterminated label,12.50,20' }]);
    expect(stats).toEqual({ scanned: 300, lines: 301, recoveries: [{ line: 151, resumeLine: 152 }] });
  });

  it('a quote still open at the end of the file, stray quotes, NUL characters: each named with line and column', async () => {
    const f = csvDir();
    const path = f.write('x.csv', 'id,name\r\n1,ok\r\n2,a"b\r\n3,"nul\0"\r\n4,"never closed\r\n5,gone\r\n');
    const { rows, rejects, stats } = await read(path, false);
    expect(rows).toEqual(['1']);
    expect(rejects).toEqual([
      { line: 3, reason: 'broken quoting: a quote in the middle of an unquoted field at line 3, col 4 (quote the whole field and double the quote: "")', raw: '2,a"b' },
      { line: 4, field: 'name', reason: 'a NUL character in "name" (a damaged or binary file?)', record: { id: '3', name: 'nul\0' } },
      { line: 5, reason: 'broken quoting (lines 5-6): unclosed quote opened at line 5, col 3 (the file ends inside it); with --recover-quotes the lines after line 5 are read again as records', raw: '4,"never closed\r\n5,gone' },
    ]);
    expect(stats.scanned).toBe(4);
    const again = await read(path, true);
    expect(again.rows).toEqual(['1', '5']);
  });

  it('the record count and the reader disagreeing is named per file', () => {
    expect(recordCountProblems([{ file: 'a.csv', read: 10, scanned: 10 }])).toEqual([]);
    expect(recordCountProblems([{ file: 'a.csv', read: 298, scanned: 299 }])).toEqual(['a.csv has 299 record(s) by the record count, the reader gave 298 (1 missing; keep the file and report this as a bug)']);
  });
});

describe('migrate read: a rejects CSV is fed again, as often as needed (issue 15)', () => {
  it('our own columns are replaced, not repeated; a fixed raw text is read into the columns', async () => {
    const f = csvDir();
    const rejects: Reject[] = [
      { line: 4, reason: 'broken quoting', raw: 'C2,"Acme,Paris' },
      { line: 7, field: 'name', reason: 'name is required', record: { id: 'C3', name: '' } },
    ];
    const first = rejectsCsv(['id', 'name'], ',', rejects);
    expect(first).toBe('id,name,mokodeploy_line,mokodeploy_reason,mokodeploy_raw\n,,4,broken quoting,"C2,""Acme,Paris"\nC3,,7,name is required,\n');
    // Fixed by hand: the quote closed in the raw text, the name filled in.
    const fixed = f.write('fixed.csv', first.replace('""Acme,Paris"', '""Acme,Paris"""').replace('C3,,7', 'C3,Initech,7'));
    const format = inspectSource(fixed);
    const items = [];
    for await (const item of readSource(fixed, format)) items.push('row' in item ? item.row.record : item.reject);
    expect(items).toEqual([
      { id: 'C2', name: 'Acme,Paris', mokodeploy_line: '4', mokodeploy_reason: 'broken quoting', mokodeploy_raw: 'C2,"Acme,Paris"' },
      { id: 'C3', name: 'Initech', mokodeploy_line: '7', mokodeploy_reason: 'name is required', mokodeploy_raw: '' },
    ]);
    // Fed again, its rejects CSV has one set of our columns (the second round used to be refused).
    const second = rejectsCsv(format.header, ',', [{ line: 3, reason: 'still wrong', record: items[1] as Record<string, string> }]);
    expect(second.split('\n')[0]).toBe('id,name,mokodeploy_line,mokodeploy_reason');
    expect(() => inspectSource(f.write('second.csv', second))).not.toThrow();
  });
});
