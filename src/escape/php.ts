/**
 * PHP source literals for the files we render (conf.php, install.forced values): a single-quoted string,
 * where only backslash and quote are special (PHP manual, "Single quoted"). Any byte, newline and NUL
 * included, stays inside the literal.
 */
export function phpString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
