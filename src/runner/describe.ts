import type { Command, FileWrite } from '../hosts/host.js';
import { quote, toShell } from '../hosts/shell.js';
import { Secret, redact } from '../core/secret.js';
import type { Action } from '../steps/step.js';

/**
 * One line per action, the same for `--dry-run` and for the `command` events of a real run,
 * so the two can be compared. Never shows file content or stdin; always passes through redact().
 */
export function describeAction(action: Action): string {
  return action.kind === 'run' ? describeCommand(action.command) : describeWrite(action.file);
}

export function describeCommand(command: Command): string {
  const parts: string[] = [];
  if (command.cwd) parts.push(`cd ${quote(command.cwd)} &&`);
  if (command.asUser) parts.push(toShell(['sudo', '-n', '-u', command.asUser]));
  else if (command.sudo) parts.push('sudo -n');
  const env = Object.entries(command.env ?? {}).map(([k, v]) => `${k}=${v}`);
  if (env.length) parts.push(toShell(['env', ...env]));
  parts.push(toShell(command.argv));
  return redact(parts.join(' ') + describeStdin(command.stdin));
}

function describeStdin(stdin: Command['stdin']): string {
  if (stdin === undefined) return '';
  if (stdin instanceof Secret) return ' < (secret on stdin)';
  return ` < (stdin, ${byteLength(stdin)} bytes)`;
}

export function describeWrite(file: FileWrite): string {
  const mode = file.mode === undefined ? 'default mode' : `mode ${file.mode.toString(8).padStart(4, '0')}`;
  const owner = file.owner || file.group ? `, ${file.owner ?? ''}:${file.group ?? ''}` : '';
  const secret = file.content instanceof Secret ? ', secret' : '';
  return redact(`write ${file.path} (${mode}${owner}, ${byteLength(file.content)} bytes${secret})`);
}

function byteLength(content: string | Buffer | Secret): number {
  if (content instanceof Secret) return Buffer.byteLength(content.reveal());
  return typeof content === 'string' ? Buffer.byteLength(content) : content.length;
}
