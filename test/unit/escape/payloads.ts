/** The hostile values of issue 12, shared by the escaper tests and the hostile-input suite. */
export const payloads: Record<string, string> = {
  newline: '\nx y;',
  semicolon: '; x',
  'single quote': "'x",
  'double quote': '"x',
  backtick: '`id`',
  'command substitution': '$(id)',
  percent: '%x%',
  braces: '{ x }',
  hash: '# x',
  nul: '\0x',
  'dot-dot': '/../x',
  'leading dash': '-x',
};
