import { inputError, type MokoError } from '../core/errors.js';

/**
 * The error every escaper throws for a value it cannot put safely into its language (issue 12, defence in
 * depth: the plan schema should have refused it already). The value itself is not shown: it may be a secret.
 */
export function cannotEscape(language: string, what: string, reason: string): MokoError {
  return inputError(`${what} cannot be written into ${language}: ${reason}`, {
    fix: `correct ${what} in the plan (\`mokodeploy plan check\` shows what each field allows)`,
  });
}

/** C0 controls (newline, NUL, ...), DEL, C1 controls and the Unicode line separators. */
// eslint-disable-next-line no-control-regex -- control characters are what is refused
export const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export function refuseControls(language: string, what: string, value: string): void {
  if (controlCharacters.test(value))
    throw cannotEscape(language, what, 'it holds a control character (newline, tab, NUL, ...)');
}
