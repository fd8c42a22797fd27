import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellCommand, shellWord } from '../../../src/escape/shell.js';
import { MokoError } from '../../../src/core/errors.js';
import { payloads } from './payloads.js';

describe('shell escaper (checked with sh)', () => {
  it('every payload comes back as one word, unchanged', () => {
    for (const [name, p] of Object.entries(payloads)) {
      if (name === 'nul') continue;
      const out = execFileSync('sh', ['-c', `printf '%s\\0' ${shellCommand(['a', p])}`], {
        encoding: 'utf8',
      });
      expect(out.split('\0').slice(0, -1), name).toEqual(['a', p]);
    }
  });
  it('refuses a NUL, which no argv can carry', () => {
    expect(() => shellWord('a\0b')).toThrow(MokoError);
  });
});
