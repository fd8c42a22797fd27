import { cannotEscape, refuseControls } from './refuse.js';

/**
 * nginx configuration (src/core/ngx_conf_file.c, ngx_conf_read_token): a word is plain when it is made of safe
 * characters, else double-quoted with `\"` and `\\` (the only escapes the parser undoes besides \t\r\n).
 * `$` cannot be escaped (variables are expanded in many directives) and a newline has no place in one
 * directive: both are refused.
 */
const plain = /^[A-Za-z0-9_./:@+,=-]+$/;

export function nginxValue(value: string, what = 'a value'): string {
  refuseControls('nginx', what, value);
  if (value.includes('$')) throw cannotEscape('nginx', what, 'it holds $ (an nginx variable)');
  if (value === '') throw cannotEscape('nginx', what, 'it is empty');
  if (value.startsWith('~')) throw cannotEscape('nginx', what, 'it starts with ~ (a regular expression)');
  if (plain.test(value)) return value;
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/** An absolute path (a relative one would be resolved against nginx's prefix, never what the plan meant). */
export function nginxPath(value: string, what = 'a path'): string {
  if (!value.startsWith('/')) throw cannotEscape('nginx', what, 'it is not an absolute path');
  if (value.split('/').includes('..')) throw cannotEscape('nginx', what, 'it holds a .. segment');
  return nginxValue(value, what);
}

/** A server_name: a host name only (a quoted or `~`/`*` name would mean a pattern). */
export function nginxHostname(value: string, what = 'the site domain'): string {
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(value))
    throw cannotEscape('nginx', what, 'it is not a host name (letters, digits, dots and dashes)');
  return value;
}

/** A `#` comment line: one line, nothing after it can become a directive. */
export function nginxComment(text: string, what = 'a comment'): string {
  refuseControls('nginx', what, text);
  return `# ${text}`;
}
