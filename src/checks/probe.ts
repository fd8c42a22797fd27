import type { Command, RunResult } from '../hosts/host.js';
import { sudoWantsPassword } from '../hosts/argv.js';
import { toShell } from '../hosts/shell.js';
import { MokoError } from '../core/errors.js';
import { redact } from '../core/secret.js';
import type { CheckContext } from './finding.js';

/** What a probe command gave: its output, or why nothing can be concluded from it. */
export type Probe =
  | { ok: true; stdout: string; stderr: string; code: number | null }
  | { ok: false; reason: string; code?: number | null };

/** Server binaries (nginx, php-fpm8.2, sshd) live in sbin, which a deploy user's PATH often lacks. */
const probePath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const cache = new WeakMap<CheckContext, Map<string, Promise<Probe>>>();

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.slice(0, 300) ?? '';
}

/** Why a finished command tells us nothing, or undefined when its output can be used. */
export function failureReason(
  command: Command,
  r: RunResult,
  host: string,
  okCodes: number[],
): string | undefined {
  const shown = toShell(command.argv).slice(0, 120);
  if (r.timedOut)
    return `\`${shown}\` did not finish within ${Math.round((command.timeoutMs ?? 0) / 1000)} s on ${host}`;
  if (sudoWantsPassword(r.stderr))
    return `sudo asks for a password on ${host} (for \`${shown}\`); allow it with NOPASSWD for the deploy user`;
  if (
    r.code === 127 ||
    /command not found|No such file or directory.*\bsudo\b|failed to run command/.test(r.stderr)
  ) {
    return `\`${command.argv[0]}\` is not installed on ${host}`;
  }
  if (r.code === null || !okCodes.includes(r.code))
    return `\`${shown}\` failed on ${host} (exit ${r.code}): ${firstLine(r.stderr || r.stdout)}`;
  return undefined;
}

/**
 * Run a read-only probe on the target, once per validation run (cached on the context).
 * Never throws: an unreachable host, a missing program, sudo wanting a password or a hang
 * all come back as { ok: false, reason }, which checks turn into an 'unknown' finding.
 */
export function probe(ctx: CheckContext, command: Command, okCodes: number[] = [0]): Promise<Probe> {
  const key = `${command.sudo ? 'sudo ' : ''}${command.asUser ?? ''} ${toShell(command.argv)} ${okCodes.join(',')}`;
  let perRun = cache.get(ctx);
  if (!perRun) cache.set(ctx, (perRun = new Map()));
  const hit = perRun.get(key);
  if (hit) return hit;
  const full: Command = {
    ...command,
    env: { PATH: probePath, ...command.env },
    timeoutMs: command.timeoutMs ?? ctx.options?.commandTimeoutMs ?? 20_000,
    maxOutputBytes: command.maxOutputBytes ?? 1024 * 1024,
  };
  const running = ctx.host.run(full).then(
    (r): Probe => {
      const reason = failureReason(full, r, ctx.host.name, okCodes);
      return reason
        ? { ok: false, reason: redact(reason), code: r.code }
        : { ok: true, stdout: r.stdout, stderr: r.stderr, code: r.code };
    },
    (e: unknown): Probe => ({
      ok: false,
      reason: redact(e instanceof MokoError ? e.message : `probe error: ${String(e)}`),
    }),
  );
  perRun.set(key, running);
  return running;
}
