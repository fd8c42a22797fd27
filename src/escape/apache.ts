import { cannotEscape, refuseControls } from './refuse.js';

/**
 * Apache httpd configuration (server/util.c ap_getword_conf + substring_conf, server/core.c ap_resolve_env):
 * an argument is plain when made of safe characters, else double-quoted with `\"` and `\\`. `${` would be
 * expanded as a Define, a newline ends the directive and a trailing backslash continues the line: refused.
 */
const plain = /^[A-Za-z0-9_./:@+,=-]+$/;

export function apacheValue(value: string, what = 'a value'): string {
  refuseControls('Apache', what, value);
  if (value === '') throw cannotEscape('Apache', what, 'it is empty');
  if (value.includes('${')) throw cannotEscape('Apache', what, 'it holds ${ (an Apache variable)');
  if (plain.test(value)) return value;
  if (value.endsWith('\\'))
    throw cannotEscape('Apache', what, 'it ends with a backslash (a line continuation)');
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/** An absolute path (a relative one would be resolved against ServerRoot). */
export function apachePath(value: string, what = 'a path'): string {
  if (!value.startsWith('/')) throw cannotEscape('Apache', what, 'it is not an absolute path');
  if (value.split('/').includes('..')) throw cannotEscape('Apache', what, 'it holds a .. segment');
  return apacheValue(value, what);
}

/** ServerName: a host name only. */
export function apacheHostname(value: string, what = 'the site domain'): string {
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(value))
    throw cannotEscape('Apache', what, 'it is not a host name (letters, digits, dots and dashes)');
  return value;
}

/**
 * A single-quoted string inside an ap_expr (`<If "-f '...'">`): no quote, backslash, `%{` or `$`, which the
 * expression parser or the config reader would interpret.
 */
export function apacheExprString(value: string, what = 'a value'): string {
  refuseControls('Apache', what, value);
  if (/['"\\$%]/.test(value))
    throw cannotEscape(
      'Apache',
      what,
      'it holds a quote, backslash, $ or % (special in an Apache expression)',
    );
  return `'${value}'`;
}

/** The part of a SetHandler "proxy:unix:PATH|fcgi://..." URL that is the socket path. */
export function apacheSocketPath(value: string, what = 'the PHP-FPM socket'): string {
  refuseControls('Apache', what, value);
  if (/["\\|$%]/.test(value) || !value.startsWith('/'))
    throw cannotEscape('Apache', what, 'it is not an absolute path without quotes, |, $ or %');
  return value;
}

/** A `#` comment line (a trailing backslash would continue it onto the next line). */
export function apacheComment(text: string, what = 'a comment'): string {
  refuseControls('Apache', what, text);
  if (text.endsWith('\\')) throw cannotEscape('Apache', what, 'it ends with a backslash');
  return `# ${text}`;
}
