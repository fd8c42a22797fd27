import type { Check, CheckContext, Finding } from '../../checks/finding.js';
import { result, type CheckResult, type VerifyCheck, type VerifyStatus } from '../check.js';
import type { VerifyContext } from '../context.js';

/**
 * Reuse an environment-validation probe (src/checks) as a verification check: the same question asked
 * again after the deployment. A finding the probe could not decide stays "unknown": not evidence, it keeps
 * the technical sign-off closed until someone checks it by hand.
 */
const statusOf: Record<Finding['status'], VerifyStatus> = {
  pass: 'pass',
  warn: 'warn',
  fail: 'fail',
  unknown: 'unknown',
};

export function validationContext(ctx: VerifyContext): CheckContext {
  return {
    host: ctx.host,
    policy: ctx.policy,
    plan: ctx.plan,
    now: ctx.now,
    secret: (name) => ctx.secret(name),
    options: {
      connectAddress: ctx.site.address,
      trustedCaFile: ctx.options.caFile,
      cronPaths: ctx.options.cronPaths,
      confPhp: ctx.paths.confPhp,
      webRoot: ctx.paths.htdocs,
      phpBinary: ctx.options.php,
    },
  };
}

export function findingResult(item: string, f: Finding): CheckResult {
  const detail = [f.remediation, f.detail].filter(Boolean).join('; ');
  return result(
    item,
    f.checkId,
    statusOf[f.status],
    `${f.title}: ${f.observed} (wanted: ${f.threshold})`,
    f.status === 'pass' ? undefined : detail || undefined,
  );
}

export async function runValidationCheck(
  check: Check,
  item: string,
  ctx: VerifyContext,
): Promise<CheckResult[]> {
  return (await check.run(validationContext(ctx))).map((f) => findingResult(item, f));
}

export function fromValidation(check: Check, item: string): VerifyCheck {
  return { id: check.id, item, title: check.title, run: (ctx) => runValidationCheck(check, item, ctx) };
}
