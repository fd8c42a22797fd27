import { inputError } from '../core/errors.js';
import type { VerificationItemResult } from '../core/record.js';
import { runCheck, type CheckResult, type VerifyCheck } from './check.js';
import { closeVerifyContext, type VerifyContext } from './context.js';
import { allChecks } from './checks/index.js';
import { summarise } from './summary.js';

/** One verification run: every check (or those picked), test data removed at the end, results per item. */
export interface VerificationOutcome {
  startedAt: string;
  durationMs: number;
  checks: CheckResult[];
  items: VerificationItemResult[];
  failing: VerificationItemResult[];
}

/**
 * The checks `--only` names, in checklist order; an id that is no check is refused with the valid ones
 * (issue 14 point 12: it used to run nothing and fail later as "results: Too small").
 */
export function pickChecks(only: string[] | undefined, checks: VerifyCheck[] = allChecks): VerifyCheck[] {
  if (!only) return checks;
  const ids = checks.map((c) => c.id);
  const unknown = only.filter((id) => !ids.includes(id));
  if (unknown.length > 0 || only.length === 0) {
    // a result id (dolibarr.cron, permissions.install-lock) names the check it comes from before the dot
    const owner = (u: string) =>
      ids.find((id) => id === u.split('.')[0] || id.startsWith(`${u.split('.')[0]}-`));
    const hints = unknown.flatMap((u) => (owner(u) ? [`${u} is reported by the check ${owner(u)}`] : []));
    throw inputError(
      `--only: ${unknown.length ? `no check ${unknown.map((u) => `"${u}"`).join(', ')}` : 'no check given'}`,
      {
        where: '--only',
        fix: `${hints.length ? `${hints.join('; ')}. ` : ''}check ids: ${ids.join(', ')}`,
      },
    );
  }
  return checks.filter((c) => only.includes(c.id));
}

export async function runVerification(
  ctx: VerifyContext,
  opts: { only?: string[]; checks?: VerifyCheck[]; onResult?: (r: CheckResult) => void } = {},
): Promise<VerificationOutcome> {
  const started = Date.now();
  const picked = pickChecks(opts.only, opts.checks ?? allChecks);
  const checks: CheckResult[] = [];
  try {
    for (const check of picked) {
      for (const r of await runCheck(check, ctx)) {
        checks.push(r);
        opts.onResult?.(r);
      }
    }
  } finally {
    await closeVerifyContext(ctx);
  }
  // a partial run (--only) records only what it looked at, so it cannot undo earlier passes
  const items = summarise(ctx.policy, checks).filter(
    (i) => !opts.only || checks.some((c) => c.item === i.id),
  );
  return {
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    checks,
    items,
    failing: items.filter((i) => i.status === 'fail'),
  };
}
