import { describe, expect, it } from 'vitest';
import { detectEncodingOf } from '../../src/migrate/encoding.js';
import { detectDelimiter } from '../../src/migrate/delimiter.js';
import { inspectSource, readSource } from '../../src/migrate/read.js';
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
