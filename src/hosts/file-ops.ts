import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { Command, FileWrite } from './host.js';
import { combine, quote } from './shell.js';

/**
 * Writing a file on any host as one command: content by stdin into a 0600 temp file in the same
 * directory, then chmod/chown, then an atomic rename. Secrets never appear in the argv.
 */
export function writeFileCommand(file: FileWrite, sudo: boolean): Command {
  const tmp = join(dirname(file.path), `.${basename(file.path)}.moko-${randomBytes(6).toString('hex')}`);
  const steps: string[][] = [
    ['umask', '077'],
    ['cat'],
    ['chmod', (file.mode ?? 0o644).toString(8).padStart(4, '0'), tmp],
  ];
  if (file.owner || file.group)
    steps.push(['chown', `${file.owner ?? ''}${file.group ? `:${file.group}` : ''}`, tmp]);
  steps.push(['mv', '-f', tmp, file.path]);
  // `cat` must redirect into the temp file: the redirection is added here with the quoted name.
  const script = combine(...steps).replace(/^umask 077 && cat/, `umask 077 && cat > ${quote(tmp)}`);
  return { argv: ['sh', '-c', `${script} || { rm -f ${quote(tmp)}; exit 1; }`], stdin: file.content, sudo };
}

export function readFileCommand(path: string, sudo: boolean): Command {
  return { argv: ['cat', '--', path], sudo, maxOutputBytes: 256 * 1024 * 1024 };
}
