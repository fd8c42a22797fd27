import { describe, expect, it } from 'vitest';
import { KeyLines } from '../../src/migrate/key-lines.js';

describe('migrate key lines: the first line of each key, without keeping the keys', () => {
  it('answers the first line of every key through many growths, and nothing for keys never seen', () => {
    const seen = new KeyLines(4);
    for (let i = 0; i < 200_000; i++) seen.set(`p${i}`, i + 2);
    seen.set('p7', 999); // a second sighting keeps the first line
    expect(seen.size).toBe(200_000);
    expect(seen.get('p0')).toBe(2);
    expect(seen.get('p7')).toBe(9);
    expect(seen.get('p199999')).toBe(200_001);
    let found = 0;
    for (let i = 0; i < 200_000; i++) if (seen.get(`p${i}`) === i + 2) found++;
    expect(found).toBe(200_000);
    let strangers = 0;
    for (let i = 0; i < 200_000; i++) if (seen.get(`q${i}`) !== undefined || seen.get(`p${i}x`) !== undefined) strangers++;
    expect(strangers).toBe(0);
    expect(seen.get('')).toBeUndefined();
  });
});
