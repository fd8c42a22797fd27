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

/** A read-only command a check will ask, with the exit codes that still carry an answer. */
export interface ProbeRequest {
  command: Command;
  okCodes?: number[];
}

/** Server binaries (nginx, php-fpm8.2, sshd) live in sbin, which a deploy user's PATH often lacks. */
export const probePath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

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

/** A finished command as a Probe: its output, or the reason it tells nothing. */
export function judgeRun(command: Command, r: RunResult, host: string, okCodes: number[]): Probe {
  const reason = failureReason(command, r, host, okCodes);
  return reason
    ? { ok: false, reason: redact(reason), code: r.code }
    : { ok: true, stdout: r.stdout, stderr: r.stderr, code: r.code };
}

/** A host that could not run the command at all (unreachable, refused key): the reason, redacted. */
export function errorProbe(e: unknown): Probe {
  return { ok: false, reason: redact(e instanceof MokoError ? e.message : `probe error: ${String(e)}`) };
}

export const probeKey = (command: Command, okCodes: number[] = [0]) =>
  `${command.sudo ? 'sudo ' : ''}${command.asUser ?? ''} ${toShell(command.argv)} ${okCodes.join(',')}`;

/** The command as probes run it: sbin on PATH, the run's per-command timeout, a 1 MiB output cap. */
export function probeCommand(ctx: CheckContext, command: Command): Command {
  return {
    ...command,
    env: { PATH: probePath, ...command.env },
    timeoutMs: command.timeoutMs ?? ctx.options?.commandTimeoutMs ?? 20_000,
    maxOutputBytes: command.maxOutputBytes ?? 1024 * 1024,
  };
}

/** This validation run's probes by key; a probe started (or batched) once is shared by every check. */
export function probesOf(ctx: CheckContext): Map<string, Promise<Probe>> {
  let perRun = cache.get(ctx);
  if (!perRun) cache.set(ctx, (perRun = new Map()));
  return perRun;
}

/** Run one probe command on its own (no batch). Never throws. */
export function runAlone(ctx: CheckContext, full: Command, okCodes: number[]): Promise<Probe> {
  return ctx.host.run(full).then((r) => judgeRun(full, r, ctx.host.name, okCodes), errorProbe);
}

/**
 * Run a read-only probe on the target, once per validation run (cached on the context; most
 * are already under way in the run's batch, see probe-batch.ts).
 * Never throws: an unreachable host, a missing program, sudo wanting a password or a hang
 * all come back as { ok: false, reason }, which checks turn into an 'unknown' finding.
 */
export function probe(ctx: CheckContext, command: Command, okCodes: number[] = [0]): Promise<Probe> {
  const key = probeKey(command, okCodes);
  const perRun = probesOf(ctx);
  const hit = perRun.get(key);
  if (hit) return hit;
  const running = runAlone(ctx, probeCommand(ctx, command), okCodes);
  perRun.set(key, running);
  return running;
}

/** probe() for a request built by a check's command builder. */
export const ask = (ctx: CheckContext, request: ProbeRequest) => probe(ctx, request.command, request.okCodes);
