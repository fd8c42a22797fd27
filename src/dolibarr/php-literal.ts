/** PHP source literals for the files we render (conf.php, install.forced values). */

/** A single-quoted PHP string: the PHP escaper of src/escape/ (one per language, issue 12). */
export { phpString } from '../escape/php.js';

/** Decode a PHP single- or double-quoted literal body (as found by the conf.php parser). */
export function decodePhpString(body: string, quote: "'" | '"'): string {
  if (quote === "'") return body.replace(/\\([\\'])/g, '$1');
  return body.replace(/\\([\\"$nrt])/g, (_m, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
}
