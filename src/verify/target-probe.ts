import { sudoWantsPassword } from '../hosts/argv.js';
import type { Command } from '../hosts/host.js';
import type { VerifyContext } from './context.js';

/**
 * Read-only questions to the target with the engine's privilege model (TEAM-NOTES "sudo rule"): paths
 * under the install are read through sudo (a no-op for a root login), questions about the web server's
 * rights are asked as the web user. An answer is only taken when the probe itself ran: a refused sudo, a
 * permission error or a missing program gives `unknown` with the reason, so a check can never read
 * "could not look" as "absent" or "not writable" (issue 25: verify must not fail open).
 */
export type Seen<T> = { known: true; value: T } | { known: false; why: string };

const why = (r: { code: number | null; stderr: string; timedOut: boolean }): string => {
  if (r.timedOut) return 'the probe timed out';
  const text = r.stderr.trim().split('\n').slice(-1)[0] ?? '';
  if (sudoWantsPassword(r.stderr))
    return `sudo asks the login user for a password (${text}): give it password-less sudo, as the deployment needs`;
  if (r.code === 127) return `program missing on the target: ${text}`;
  return text || `exit ${r.code}`;
};

/** A path's mode and owner read as root: present, absent ("No such file"), or unknown. */
export async function statPath(
  ctx: VerifyContext,
  path: string,
): Promise<Seen<{ mode: number; owner: string; group: string } | undefined>> {
  const r = await ctx.host.run({ argv: ['stat', '-L', '-c', '%a %U %G', '--', path], sudo: true });
  if (r.code === 0) {
    const [mode, owner, group] = r.stdout.trim().split(' ');
    return { known: true, value: { mode: parseInt(mode!, 8), owner: owner!, group: group! } };
  }
  if (/No such file or directory/.test(r.stderr) && !sudoWantsPassword(r.stderr))
    return { known: true, value: undefined };
  return { known: false, why: `cannot stat ${path}: ${why(r)}` };
}

/** Ask `test FLAG path` as a user; the answer is printed, so a refused sudo is not read as "no". */
export async function testAs(
  ctx: VerifyContext,
  user: string,
  flag: '-w' | '-e' | '-r',
  path: string,
): Promise<Seen<boolean>> {
  const r = await ctx.host.run({
    argv: ['sh', '-c', 'if test "$1" "$2"; then echo yes; else echo no; fi', 'test', flag, path],
    asUser: user,
  });
  const answer = r.stdout.trim();
  if (r.code === 0 && (answer === 'yes' || answer === 'no')) return { known: true, value: answer === 'yes' };
  return { known: false, why: `cannot ask as ${user} (test ${flag} ${path}): ${why(r)}` };
}

/** A file's text read as root: its content, absent, or unknown. */
export async function readText(
  ctx: VerifyContext,
  path: string,
  command?: Partial<Command>,
): Promise<Seen<string | undefined>> {
  const r = await ctx.host.run({ argv: ['cat', '--', path], sudo: true, ...command });
  if (r.code === 0) return { known: true, value: r.stdout };
  if (/No such file or directory/.test(r.stderr) && !sudoWantsPassword(r.stderr))
    return { known: true, value: undefined };
  return { known: false, why: `cannot read ${path}: ${why(r)}` };
}

/** Why a command run for a check did not give an answer, when it was refused rather than failing. */
export function refusedWhy(r: {
  code: number | null;
  stderr: string;
  timedOut: boolean;
}): string | undefined {
  return sudoWantsPassword(r.stderr) ? why(r) : undefined;
}
