import { result, type CheckResult, type VerifyCheck } from '../check.js';
import type { VerifyContext } from '../context.js';
import { HttpSession } from '../http.js';
import { logIn } from '../session.js';

/**
 * Verification "Page load times acceptable (< 2 seconds)" (policy verification.pageLoadMaxSeconds): the key
 * pages loaded repeatedly as the logged-in admin; median and p95 of the full response time against the limit.
 * The login page is timed without a session. A page that answers 404 (module not in this release) is left out.
 */
export const keyPages = ['index.php', 'societe/list.php', 'contact/list.php', 'product/list.php'];

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

export function median(sorted: number[]): number {
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

async function timePage(session: HttpSession, path: string, loads: number): Promise<number[] | undefined> {
  const times: number[] = [];
  for (let i = 0; i < loads; i++) {
    const r = await session.get(path);
    if (r.status === 404) return undefined;
    if (r.status !== 200) throw new Error(`${path} answered HTTP ${r.status}`);
    times.push(r.ms);
  }
  return times.sort((a, b) => a - b);
}

function judge(ctx: VerifyContext, path: string, times: number[]): CheckResult {
  const limit = ctx.policy.verification.pageLoadMaxSeconds * 1000;
  const med = median(times);
  const p95 = percentile(times, 95);
  const seen = `/${path}: median ${(med / 1000).toFixed(2)} s, p95 ${(p95 / 1000).toFixed(2)} s over ${times.length} loads`;
  if (p95 >= limit) {
    return result(
      'verify.page-load',
      `page-load./${path}`,
      'fail',
      seen,
      `p95 ${(p95 / 1000).toFixed(2)} s is over the policy's ${limit / 1000} s: look at the slow-query log, OPcache and PHP-FPM pool size`,
    );
  }
  return result('verify.page-load', `page-load./${path}`, 'pass', seen);
}

export const pageLoadCheck: VerifyCheck = {
  id: 'page-load',
  item: 'verify.page-load',
  title: 'Page load times',
  async run(ctx) {
    const out: CheckResult[] = [];
    const loads = ctx.options.loads;
    const anonymous = await timePage(new HttpSession(ctx.site), 'index.php', loads);
    if (anonymous) out.push(judge(ctx, 'index.php (login page)', anonymous));
    const s = await logIn(ctx.site, ctx.plan.admin.login, ctx.secret(ctx.plan.admin.password.secret));
    if (!s.ok)
      return [
        ...out,
        result('verify.page-load', 'page-load', 'fail', 'could not log in to time the pages', s.reason),
      ];
    for (const path of keyPages) {
      const times = await timePage(s.session, path, loads);
      if (times) out.push(judge(ctx, path, times));
    }
    return out;
  },
};
