import { cannotEscape, refuseControls } from './refuse.js';
import { shellWord } from './shell.js';

/**
 * crontab / cron.d files (cron(8), crontab(5)): one job per line, so a newline anywhere is refused; in the
 * command part an unescaped `%` becomes a newline of the job's stdin, so every `%` is written `\%` (cron
 * removes the backslash), after the word was quoted for the shell that runs the command.
 */
export function cronCommand(argv: readonly string[], what = 'the cron command'): string {
  return argv.map((a) => cronWord(a, what)).join(' ');
}

export function cronWord(value: string, what = 'a cron command word'): string {
  refuseControls('a cron file', what, value);
  return shellWord(value, what).replace(/%/g, '\\%');
}

/** The user field of a system crontab line (cron.d): a POSIX user name. */
export function cronUser(value: string, what = 'the cron user'): string {
  if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(value))
    throw cannotEscape('a cron file', what, 'it is not a POSIX user name');
  return value;
}

/**
 * An environment line NAME=value. cron takes the value to the end of the line and only strips one pair of
 * matching quotes around it (no escapes), so a value holding both kinds of quote cannot be written.
 */
export function cronEnv(name: string, value: string, what = `the cron variable ${name}`): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw cannotEscape('a cron file', what, 'it is not a variable name');
  refuseControls('a cron file', what, value);
  if (/^[A-Za-z0-9_./:@+,=-]*$/.test(value) && value !== '') return `${name}=${value}`;
  if (!value.includes("'")) return `${name}='${value}'`;
  if (!value.includes('"')) return `${name}="${value}"`;
  throw cannotEscape('a cron file', what, 'it holds both kinds of quote');
}

/** A `#` comment line. */
export function cronComment(text: string, what = 'a comment'): string {
  refuseControls('a cron file', what, text);
  return `# ${text}`;
}
