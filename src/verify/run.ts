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

export async function runVerification(
  ctx: VerifyContext,
  opts: { only?: string[]; checks?: VerifyCheck[]; onResult?: (r: CheckResult) => void } = {},
): Promise<VerificationOutcome> {
  const started = Date.now();
  const picked = (opts.checks ?? allChecks).filter((c) => !opts.only || opts.only.includes(c.id));
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
