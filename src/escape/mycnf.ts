import { cannotEscape } from './refuse.js';

/**
 * MariaDB/MySQL option files (mysys/my_default.c, read by the client and my_print_defaults): a value in double
 * quotes keeps `#` and spaces, and the reader undoes `\\`, `\"`, `\n`, `\t`, `\r`, `\b`, `\s`. A newline
 * written as such would start a new option (`init-command=...`), so control characters are escaped and a NUL
 * (which ends the line for the reader) is refused. The value is never shown in errors: it is often a password.
 */
const escapes: Record<string, string> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\t': '\\t',
  '\r': '\\r',
  '\b': '\\b',
};

export function optionValue(value: string, what = 'an option value'): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000\u000b\u000c\u000e-\u001f\u007f]/.test(value))
    throw cannotEscape('a MariaDB option file', what, 'it holds a NUL or another control character');
  return `"${value.replace(/[\\"\n\t\r\b]/g, (c) => escapes[c]!)}"`;
}

/** `name="value"`, the option name checked (letters, digits, - and _). */
export function optionLine(name: string, value: string, what = `the option ${name}`): string {
  if (!/^[a-z][a-z0-9_-]*$/.test(name)) throw cannotEscape('a MariaDB option file', what, 'bad option name');
  return `${name}=${optionValue(value, what)}`;
}

/** A whole option file: one [group] and its options, in order. */
export function renderOptionFile(group: string, options: [string, string][]): string {
  if (!/^[a-z][a-z0-9_-]*$/.test(group))
    throw cannotEscape('a MariaDB option file', 'the group', 'bad group name');
  return [`[${group}]`, ...options.map(([k, v]) => optionLine(k, v)), ''].join('\n');
}
