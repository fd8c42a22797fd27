import { quote } from '../hosts/shell.js';
import { cannotEscape } from './refuse.js';

/**
 * POSIX shell words: the one quoting helper of src/hosts/shell.ts (single quotes, `'\''` for a quote).
 * A NUL cannot be passed in any argv or shell text, so it is refused rather than silently cut.
 */
export function shellWord(value: string, what = 'a value'): string {
  if (value.includes('\0')) throw cannotEscape('a shell command', what, 'it holds a NUL byte');
  return quote(value);
}

export function shellCommand(argv: readonly string[], what = 'a command'): string {
  return argv.map((a) => shellWord(a, what)).join(' ');
}
