import type { Command } from './host.js';
import { Secret } from '../core/secret.js';

/**
 * The final argument vector for a command: `sudo -n [-u user] --` when it must change user,
 * then `env K=V` when there are variables to pass (sudo resets the environment otherwise).
 * `loginUser` is who the host runs commands as; sudo is only added when it changes something.
 */
export function effectiveArgv(command: Command, loginUser: string, withEnvPrefix: boolean): string[] {
  if (command.argv.length === 0) throw new Error('bug: empty argv');
  const targetUser = command.asUser ?? (command.sudo ? 'root' : undefined);
  const needSudo = targetUser !== undefined && targetUser !== loginUser;
  const env =
    command.env && (withEnvPrefix || needSudo)
      ? Object.entries(command.env).map(([k, v]) => `${k}=${v}`)
      : [];
  const base = env.length > 0 ? ['env', ...env, ...command.argv] : [...command.argv];
  if (!needSudo) return base;
  return targetUser === 'root'
    ? ['sudo', '-n', '--', ...base]
    : ['sudo', '-n', '-u', targetUser, '--', ...base];
}

export function stdinBytes(stdin: Command['stdin']): Buffer | undefined {
  if (stdin === undefined) return undefined;
  if (stdin instanceof Secret) return Buffer.from(stdin.reveal(), 'utf8');
  return typeof stdin === 'string' ? Buffer.from(stdin, 'utf8') : stdin;
}

/** sudo -n prints this when it would have to ask; the caller reports it instead of hanging. */
export function sudoWantsPassword(stderr: string): boolean {
  return /sudo: (a password is required|a terminal is required)/.test(stderr);
}
