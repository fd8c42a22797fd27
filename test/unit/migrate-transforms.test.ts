import { describe, expect, it } from 'vitest';
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
