/**
 * The one place shell text is made from argument vectors (STYLE.md 2).
 * Every word is single-quoted unless it is plainly safe.
 */
const safeWord = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function quote(word: string): string {
  if (word === '') return "''";
  if (safeWord.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function toShell(argv: readonly string[]): string {
  return argv.map(quote).join(' ');
}

/** `a && b && c`, each already an argv. */
export function combine(...commands: readonly (readonly string[])[]): string {
  return commands.map(toShell).join(' && ');
}

/** `a | b`, each already an argv. */
export function pipe(...commands: readonly (readonly string[])[]): string {
  return commands.map(toShell).join(' | ');
}
