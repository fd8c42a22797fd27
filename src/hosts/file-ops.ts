import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { Command, FileWrite } from './host.js';

/**
 * Writing a file on any host as one command: content by stdin into a 0600 temp file in the same
 * directory, then chmod/chown, then an atomic rename. Secrets never appear in the argv.
 */
export function writeFileCommand(file: FileWrite, sudo: boolean): Command {
  const tmp = join(dirname(file.path), `.${basename(file.path)}.moko-${randomBytes(6).toString('hex')}`);
  const mode = (file.mode ?? 0o644).toString(8).padStart(4, '0');
  const owner = file.owner || file.group ? `${file.owner ?? ''}${file.group ? `:${file.group}` : ''}` : '';
  // values as positional parameters, never spliced into the script (issue 12): $1 temp, $2 mode, $3 owner, $4 path
  return { argv: ['sh', '-c', writeFileScript, 'write-file', tmp, mode, owner, file.path], stdin: file.content, sudo };
}

/** stdin -> 0600 temp file -> chmod -> chown (when $3 is set) -> atomic rename; the temp file goes on failure. */
export const writeFileScript =
  'umask 077 && cat > "$1" && chmod -- "$2" "$1" && { test -z "$3" || chown -- "$3" "$1"; } && mv -f -- "$1" "$4" || { rm -f -- "$1"; exit 1; }';

export function readFileCommand(path: string, sudo: boolean): Command {
  return { argv: ['cat', '--', path], sudo, maxOutputBytes: 256 * 1024 * 1024 };
}
