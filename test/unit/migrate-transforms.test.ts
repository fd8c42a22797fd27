import { describe, expect, it } from 'vitest';
import { compileDates, newDateStats } from '../../src/migrate/dates.js';
import { mappingSchema } from '../../src/migrate/mapping-schema.js';
import { compileMapper } from '../../src/migrate/map.js';
import { jobLayout } from '../../src/migrate/layout.js';
import { objectDefs } from '../../src/migrate/objects.js';
import { SourceRow } from '../../src/migrate/source-row.js';
import { applyTransforms, changeCase, normaliseEmail, normalisePhone, parseDate, parseNumber, TransformError } from '../../src/migrate/transforms.js';

const ctx = { countryId: (s: string) => ({ fr: 1, fra: 1, france: 1, de: 5 } as Record<string, number>)[s.toLowerCase()] };

describe('migrate transforms', () => {
  it('dates by format, refusing impossible ones', () => {
    expect(parseDate('17/05/1970', 'DD/MM/YYYY')).toBe('1970-05-17');
    expect(parseDate('5/7/99', 'D/M/YY')).toBe('1999-07-05');
    expect(parseDate('2026-11-27 09:05', 'YYYY-MM-DD HH:mm')).toBe('2026-11-27 09:05:00');
    expect(() => parseDate('31/02/2020', 'DD/MM/YYYY')).toThrow(/not a real date/);
    expect(() => parseDate('2020-13-01', 'YYYY-MM-DD')).toThrow(TransformError);
    expect(() => parseDate('17.05.1970', 'DD/MM/YYYY')).toThrow(/does not match/);
  });

  it('phones to international form; letters refused', () => {
    expect(normalisePhone('01 23 45 67 89', 'FR')).toBe('+33123456789');
    expect(normalisePhone('0049 (30) 123-4567')).toBe('+49301234567');
    expect(normalisePhone('01.23.45.67.89')).toBe('0123456789');
    expect(() => normalisePhone('call me')).toThrow(/not a phone number/);
  });

  it('emails, case, numbers in both decimal conventions', () => {
    expect(normaliseEmail(' <mailto:John.DOE@Example.COM> ')).toBe('john.doe@example.com');
    expect(changeCase("jean-pierre o'neil", 'title')).toBe("Jean-Pierre O'Neil");
    expect(parseNumber('1.234,56')).toBe(1234.56);
    expect(parseNumber('1,234.56')).toBe(1234.56);
    expect(parseNumber('10,5')).toBe(10.5);
    expect(() => parseNumber('ten')).toThrow(/not a number/);
  });

  it('a chain: trim, map with a fallback, country by code/ISO3/label, default for empty', () => {
    expect(applyTransforms('  Prospect ', ['trim', { map: { customer: 1, prospect: 2 }, otherwise: 0 }], ctx)).toBe(2);
    expect(() => applyTransforms('Partner', [{ map: { customer: 1 } }], ctx)).toThrow(/"Partner" is not one of: customer/);
    expect(applyTransforms('FRA', ['country'], ctx)).toBe(1);
    expect(applyTransforms('france', ['country'], ctx)).toBe(1);
    expect(applyTransforms('', ['country'], ctx)).toBeNull();
    expect(() => applyTransforms('Narnia', ['country'], ctx)).toThrow(/unknown country "Narnia"/);
    expect(applyTransforms(' ', ['number', { default: 0 }], ctx)).toBe(0);
  });
});

describe('migrate dates: several formats in one column (issue 15)', () => {
  it('formats tried in order; the order settles day/month; two-digit years 00-69 -> 20xx, 70-99 -> 19xx; the report counts each format', () => {
    const stats = newDateStats([]);
    const parse = compileDates(['YYYY-MM-DD', 'DD/MM/YYYY', 'D/M/YY'], stats);
    expect(['1980-02-01', '01/02/1980', '2/1/80', '13/12/1999', '1/1/05'].map(parse)).toEqual(['1980-02-01', '1980-02-01', '1980-01-02', '1999-12-13', '2005-01-01']);
    expect(stats.matched).toEqual({ 'YYYY-MM-DD': 1, 'DD/MM/YYYY': 2, 'D/M/YY': 2 });
    expect(() => parse('31/02/1980')).toThrow('"31/02/1980" is not a real date (DD/MM/YYYY)');
    expect(() => parse('Feb 1, 1980')).toThrow('"Feb 1, 1980" matches none of the date formats YYYY-MM-DD, DD/MM/YYYY, D/M/YY');
  });

  it('a value a later format reads as another date is counted as ambiguous, with an example', () => {
    const stats = newDateStats([]);
    const parse = compileDates(['DD/MM/YYYY', 'MM/DD/YYYY'], stats);
    expect(parse('01/02/1980')).toBe('1980-02-01');
    expect(parse('25/12/1980')).toBe('1980-12-25');
    expect(parse('12/25/1980')).toBe('1980-12-25');
    expect(stats).toEqual({ matched: { 'DD/MM/YYYY': 2, 'MM/DD/YYYY': 1 }, ambiguous: 1, example: '"01/02/1980" read as 1980-02-01 (DD/MM/YYYY), MM/DD/YYYY would give 1980-01-02' });
  });

  it('a mapping lists the formats; a row that none reads is rejected with the formats named', () => {
    const m = mappingSchema.parse({ object: 'contact', key: { from: 'id' }, fields: { lastname: { from: 'n' }, birthday: { from: 'b', transforms: [{ date: ['YYYY-MM-DD', 'DD/MM/YYYY', 'D/M/YY'] }] } } });
    const layout = jobLayout(objectDefs.contact, m, {});
    const stats = {};
    const map = compileMapper(m, ['id', 'n', 'b'], layout, ctx, stats);
    const rows = [['1', 'A', '1980-02-01'], ['2', 'B', '01/02/1980'], ['3', 'C', '2/1/80'], ['4', 'D', '1980.02.01']].map((f, i) => map(new SourceRow(i + 2, f, ['id', 'n', 'b'])));
    expect(rows.slice(0, 3).map((r) => (r as { values: unknown[] }).values[layout.slot('birthday')])).toEqual(['1980-02-01', '1980-02-01', '1980-01-02']);
    expect(rows[3]).toMatchObject({ line: 5, field: 'b', reason: '"b": "1980.02.01" matches none of the date formats YYYY-MM-DD, DD/MM/YYYY, D/M/YY' });
    expect(stats).toEqual({ birthday: { dates: { matched: { 'YYYY-MM-DD': 1, 'DD/MM/YYYY': 1, 'D/M/YY': 1 }, ambiguous: 0 } } });
  });
});
