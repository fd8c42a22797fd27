import { cannotEscape, refuseControls } from './refuse.js';

/**
 * PHP-FPM pool files (INI read by sapi/fpm/fpm/fpm_conf.c through zend_parse_ini_string): an unquoted value
 * may hold no `;` (comment), `=`, quotes, `$` (FPM's $pool and INI ${} expansion), braces, `|&~!^()`.
 * Our values (paths, users, sizes) never need them, so anything outside a safe set is refused, not quoted.
 */
const plain = /^[A-Za-z0-9_./:@+,-]+$/;

export function fpmIniValue(value: string, what = 'a value'): string {
  refuseControls('PHP-FPM ini', what, value);
  if (!plain.test(value))
    throw cannotEscape('PHP-FPM ini', what, 'only letters, digits and _ . / : @ + , - are allowed there');
  return value;
}

/** An absolute path (socket, log). */
export function fpmIniPath(value: string, what = 'a path'): string {
  if (!value.startsWith('/')) throw cannotEscape('PHP-FPM ini', what, 'it is not an absolute path');
  if (value.split('/').includes('..')) throw cannotEscape('PHP-FPM ini', what, 'it holds a .. segment');
  return fpmIniValue(value, what);
}

/** user/group/listen.owner: a POSIX user or group name. */
export function fpmUser(value: string, what = 'a user'): string {
  if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(value))
    throw cannotEscape('PHP-FPM ini', what, 'it is not a POSIX user name');
  return value;
}

/** A pool name: `[name]` section header. */
export function fpmSectionName(value: string, what = 'the pool name'): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(value))
    throw cannotEscape('PHP-FPM ini', what, 'only letters, digits and _ . - are allowed in a pool name');
  return value;
}

/** A `;` comment line. */
export function fpmComment(text: string, what = 'a comment'): string {
  refuseControls('PHP-FPM ini', what, text);
  return `; ${text}`;
}
