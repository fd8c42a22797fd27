import { refuseControls } from './refuse.js';

/**
 * systemd unit files (systemd.unit(5), systemd.service(5)): one setting per line, so control characters are
 * refused; `%` starts a specifier everywhere (written `%%`); in Exec lines `$` expands a variable (written `$$`)
 * and a word is double-quoted with C escapes for `\` and `"`.
 */
const plain = /^[A-Za-z0-9_@+=:,./-]+$/;

const quoted = (v: string) => `"${v.replace(/[\\"]/g, '\\$&')}"`;

/** One argument of ExecStart=. */
export function systemdExecWord(value: string, what = 'a command word'): string {
  refuseControls('a systemd unit', what, value);
  const v = value.replace(/%/g, '%%').replace(/\$/g, '$$$$');
  return plain.test(v) ? v : quoted(v);
}

export function systemdExecLine(argv: readonly string[], what = 'the command'): string {
  return argv.map((a) => systemdExecWord(a, what)).join(' ');
}

/** Environment="NAME=value" (no $ expansion there, specifiers still apply). */
export function systemdEnvironment(name: string, value: string, what = `the variable ${name}`): string {
  refuseControls('a systemd unit', what, `${name}${value}`);
  return `Environment=${quoted(`${name}=${value}`.replace(/%/g, '%%'))}`;
}

/** Any other setting's value (Description=, User=, a path): one line, specifiers escaped. */
export function systemdValue(value: string, what = 'a value'): string {
  refuseControls('a systemd unit', what, value);
  return value.replace(/%/g, '%%');
}
