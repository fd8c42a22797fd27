import type { Plan } from '../core/plan.js';
import type { Secret } from '../core/secret.js';
import { MokoError } from '../core/errors.js';
import { redact } from '../core/secret.js';
import type { Host } from '../hosts/host.js';
import { openHost } from '../hosts/open.js';
import type { Policy } from '../policy/types.js';
import {
  worstStatus,
  type Check,
  type CheckContext,
  type Finding,
  type ValidationReport,
} from './finding.js';
import type { ValidationOptions } from './options.js';
import { allChecks } from './index.js';
import { unknown } from './result.js';
import { mapLimit } from './map-limit.js';
import { prefetchProbes } from './probe-batch.js';
import type { ProbeRequest } from './probe.js';

export interface ValidationTarget {
  plan: Plan;
  /** Default: openHost(plan.target), closed after the run. A given host is left open. */
  host?: Host;
  options?: ValidationOptions;
  secret?: (name: string) => Secret | undefined;
}

export interface ValidationRun {
  policy: Policy;
  now?: () => Date;
  checks?: readonly Check[];
  /** Checks running at once on one target (default 8; their remote commands go in one batch anyway). */
  checkConcurrency?: number;
  /** A whole check taking longer than this is reported unknown (default 120 s). */
  checkTimeoutMs?: number;
}

/** A host whose connection failed: every command fails the same way, so host checks say why. */
class UnreachableHost implements Host {
  constructor(
    readonly name: string,
    readonly error: MokoError,
  ) {}
  async run(): Promise<never> {
    throw this.error;
  }
  async readFile(): Promise<never> {
    throw this.error;
  }
  async writeFile(): Promise<never> {
    throw this.error;
  }
  async close(): Promise<void> {}
}

/** ssh-connect.ts refuses an unknown, changed or revoked host key before logging in. */
const hostKeyRefused = (e: MokoError) =>
  /^refusing \S+: (unknown host key|HOST KEY CHANGED|host key .* is marked @revoked)/.test(e.message);

/** The host key was refused: one finding with the reason and its fix; the checks are skipped. */
function connectionFinding(host: UnreachableHost, checks: readonly Check[]): Finding {
  const e = host.error;
  return {
    checkId: 'target.connection',
    title: 'Connection to the target',
    status: 'fail',
    observed: redact(e.message),
    threshold: 'the target answers and its host key is known',
    policyRef: 'env.security.ssh',
    ...(e.fix ? { remediation: redact(e.fix) } : {}),
    detail: `the ${checks.length} checks were skipped: they need the server`,
  };
}

async function reachable(host: Host): Promise<Host> {
  try {
    if (host.connect) await host.connect();
    else await host.run({ argv: ['true'], timeoutMs: 15_000 });
    return host;
  } catch (e) {
    const error = e instanceof MokoError ? e : new MokoError('target', redact(String(e)));
    return new UnreachableHost(host.name, error);
  }
}

async function runCheck(check: Check, ctx: CheckContext, timeoutMs: number): Promise<Finding[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Finding[]>((resolve) => {
    timer = setTimeout(
      () => resolve([unknown(check, 'a decision', `the check did not finish within ${timeoutMs / 1000} s`)]),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([check.run(ctx), timeout]);
  } catch (e) {
    const reason =
      e instanceof MokoError ? e.message : `bug in check ${check.id}: ${(e as Error).stack ?? String(e)}`;
    return [unknown(check, 'a decision', redact(reason))];
  } finally {
    clearTimeout(timer);
  }
}

/** What a check says it will ask; a bug there only costs the batching (run() still asks alone). */
function declaredProbes(check: Check, ctx: CheckContext): ProbeRequest[] {
  try {
    return check.probes?.(ctx) ?? [];
  } catch {
    return [];
  }
}

/** One target's report: its findings, the worst of them, when it ran and under which policy version. */
function reportOf(
  target: string,
  startedAt: Date,
  finishedAt: Date,
  run: ValidationRun,
  findings: Finding[],
): ValidationReport {
  return {
    target,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    policyVersion: run.policy.version,
    findings,
    worst: worstStatus(findings),
  };
}

/** Run every check for one plan on its target: the evidence for policy "Environment Validation". */
export async function runValidation(target: ValidationTarget, run: ValidationRun): Promise<ValidationReport> {
  const now = run.now ?? (() => new Date());
  const startedAt = now();
  const opened = target.host ?? openHost(target.plan.target);
  try {
    const host = await reachable(opened);
    if (host instanceof UnreachableHost && hostKeyRefused(host.error)) {
      // a refused host key is said once with its fix, not on every check (issue 25); other connection
      // failures (closed port, refused login) stay per check: unknown, with the reason
      return reportOf(opened.name, startedAt, now(), run, [connectionFinding(host, run.checks ?? allChecks)]);
    }
    const ctx: CheckContext = {
      host,
      policy: run.policy,
      plan: target.plan,
      now: startedAt,
      options: target.options,
      secret: target.secret,
    };
    const checks = run.checks ?? allChecks;
    void prefetchProbes(
      ctx,
      checks.flatMap((c) => declaredProbes(c, ctx)),
    );
    const perCheck = await mapLimit(checks, run.checkConcurrency ?? 8, (c) =>
      runCheck(c, ctx, run.checkTimeoutMs ?? 120_000),
    );
    return reportOf(opened.name, startedAt, now(), run, perCheck.flat());
  } finally {
    if (!target.host) await opened.close();
  }
}

/** Validate several targets, at most `concurrency` at a time; reports in the order given. */
export function validateMany(
  targets: readonly ValidationTarget[],
  run: ValidationRun & { concurrency?: number },
): Promise<ValidationReport[]> {
  return mapLimit(targets, run.concurrency ?? 8, (t) => runValidation(t, run));
}
