import type { Command, RunResult } from '../hosts/host.js';
import { sudoWantsPassword } from '../hosts/argv.js';
import { batchable, buildBatch } from '../hosts/batch.js';
import type { CheckContext } from './finding.js';
import {
  errorProbe,
  judgeRun,
  probeCommand,
  probeKey,
  probePath,
  probesOf,
  runAlone,
  type Probe,
  type ProbeRequest,
} from './probe.js';

interface Pending {
  full: Command;
  okCodes: number[];
  resolve: (p: Probe | Promise<Probe>) => void;
}

/**
 * Start every probe the checks will ask, in as few remote executions as possible: one batch
 * for the unprivileged commands and one (one sudo) for the privileged ones. Each probe keeps
 * its own timeout, output cap and failure reason; the checks then find them in the run's cache.
 * Registers the probes synchronously, so checks started right after share them.
 */
export function prefetchProbes(ctx: CheckContext, requests: readonly ProbeRequest[]): Promise<void> {
  const perRun = probesOf(ctx);
  const pending: Pending[] = [];
  for (const { command, okCodes = [0] } of requests) {
    const key = probeKey(command, okCodes);
    const full = probeCommand(ctx, command);
    if (perRun.has(key) || !batchable(full)) continue;
    let resolve!: Pending['resolve'];
    perRun.set(key, new Promise<Probe>((r) => (resolve = r)));
    pending.push({ full, okCodes, resolve });
  }
  const groups = [false, true]
    .map((sudo) => pending.filter((p) => (p.full.sudo ?? false) === sudo))
    .filter((g) => g.length > 0);
  return Promise.all(groups.map((g) => runGroup(ctx, g))).then(() => undefined);
}

/** Never rejects: whatever goes wrong, every probe of the group gets an answer or a reason. */
async function runGroup(ctx: CheckContext, group: Pending[]): Promise<void> {
  try {
    await runBatch(ctx, group);
  } catch (e) {
    for (const p of group) p.resolve(errorProbe(e)); // a no-op for those already answered
  }
}

async function runBatch(ctx: CheckContext, group: Pending[]): Promise<void> {
  const batch = buildBatch(
    group.map((p) => ({ ...p.full, sudo: false })),
    group[0]!.full.sudo ?? false,
  );
  // throws when the host cannot be reached: runGroup gives every probe that reason
  const result = await ctx.host.run({ ...batch.command, env: { PATH: probePath } });
  const each = batch.parse(result);
  if (each.every((r) => r === undefined) && !result.timedOut && !sudoWantsPassword(result.stderr)) {
    // the batch could not start (no sh, no writable temp dir, sudo allowed only for named programs): one by one
    for (const p of group) p.resolve(runAlone(ctx, p.full, p.okCodes));
    return;
  }
  // a command with no result shares the batch's fate (sudo refused, the whole batch timed out);
  // never exit 0 with empty output, which a check could read as "nothing wrong"
  const whole: RunResult = {
    ...result,
    stdout: '',
    code: null,
    stderr: result.stderr || `no result in the probe batch output (exit ${result.code})`,
  };
  group.forEach((p, i) => p.resolve(judgeRun(p.full, each[i] ?? whole, ctx.host.name, p.okCodes)));
}
