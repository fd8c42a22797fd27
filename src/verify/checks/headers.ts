import { result, type VerifyCheck } from '../check.js';
import { HttpSession } from '../http.js';
import { fixFor, gradeHeaders, scoreOf } from './headers-grade.js';

/** Verification "Security headers configured": the home page's headers, graded, with what to change. */
export const headersCheck: VerifyCheck = {
  id: 'headers',
  item: 'verify.headers',
  title: 'Security headers',
  async run(ctx) {
    const res = await new HttpSession(ctx.site).get('index.php');
    const verdicts = gradeHeaders(res.headers);
    const { score, grade } = scoreOf(verdicts);
    const wrong = verdicts.filter((v) => !v.ok);
    const server = ctx.plan.target.webServer;
    const observed = `grade ${grade} (${score}/100) on ${res.url}: ${verdicts.map((v) => `${v.name} ${v.ok ? 'ok' : v.problem}`).join('; ')}`;
    const failing = wrong.filter((v) => v.severity === 'fail');
    if (wrong.length === 0) return [result('verify.headers', 'headers', 'pass', observed)];
    const detail = wrong
      .map(
        (v) =>
          `${v.name} ${v.problem}: ${v.severity === 'warn' ? 'acceptable for Dolibarr' : `add ${fixFor(v.name, server)}`}`,
      )
      .join(' | ');
    return [result('verify.headers', 'headers', failing.length > 0 ? 'fail' : 'warn', observed, detail)];
  },
};
