import { describe, expect, it } from 'vitest';
import { compileTextCheck, newTextWarnings, textDamage } from '../../src/migrate/mojibake.js';

describe('migrate: text damaged before export is flagged per row (issue 15)', () => {
  it('a ? between letters, U+FFFD, UTF-8 read as Windows-1252; clean text in many languages is not flagged', () => {
    expect(['Ma?gorzata', 'O?uz', 'Stra??e'].map(textDamage)).toEqual(['lost', 'lost', 'lost']);
    expect(textDamage('Caf\uFFFD')).toBe('replacement');
    expect(['CafÃ©', 'MÃ¼ller', 'Lâ€™Oréal', 'Å‚ódź'].map(textDamage)).toEqual(['double-encoded', 'double-encoded', 'double-encoded', 'double-encoded']);
    const clean = ['Małgorzata', 'Oğuz', 'Straße', 'Café', 'Müller', 'L’Oréal', 'Łódź', 'São Paulo', 'ÇA VA', 'Ærø', 'Ñandú', 'Why?', 'https://x.example/?q=1', 'A ? B', 'Ελλάδα', '東京'];
    expect(clean.filter((s) => textDamage(s) !== undefined)).toEqual([]);
  });

  it('counts rows by kind, in the columns the mapping reads only, one warning per row', () => {
    const w = newTextWarnings();
    const check = compileTextCheck(['id', 'name', 'note'], ['id', 'name'], w);
    check(2, ['1', 'Ma?gorzata', '']);
    check(3, ['2', 'CafÃ©', 'Ma?gorzata']);
    check(4, ['3', 'Fine', 'O?uz']);
    expect(w).toEqual({
      count: 2,
      byKind: { lost: 1, replacement: 0, 'double-encoded': 1 },
      rows: [{ line: 2, field: 'name', kind: 'lost', value: 'Ma?gorzata' }, { line: 3, field: 'name', kind: 'double-encoded', value: 'CafÃ©' }],
    });
  });
});
