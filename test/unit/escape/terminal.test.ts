import { describe, expect, it } from 'vitest';
import { terminalLine, terminalText } from '../../../src/escape/terminal.js';

describe('terminal text', () => {
  it('shows control characters as \\xHH, keeps tabs, newlines and printable text (UTF-8 too)', () => {
    expect(terminalText('a\x1b[2Jb\x07c\rd\x7f\x9b')).toBe('a\\x1b[2Jb\\x07c\\x0dd\\x7f\\x9b');
    expect(terminalText('col1\tcol2\nnext – é')).toBe('col1\tcol2\nnext – é');
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    expect(terminalText('\x1b]52;c;cm0gLXJmIH4K\x07')).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  });

  it('a line stays one line', () => {
    expect(terminalLine('job 1\nerror: forged line')).toBe('job 1\\nerror: forged line');
  });
});
