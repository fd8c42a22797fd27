import type { Check, Finding } from './finding.js';
import { probe } from './probe.js';
import { finding, unknown } from './result.js';

/** Policy "External API endpoints accessible": each plan integration endpoint answers HTTP, from the target. */
export const apisCheck: Check = {
  id: 'apis',
  title: 'External API endpoints reachable from the target',
  policyRef: 'env.network.apis',
  async run(ctx) {
    const endpoints = ctx.plan.integrations.filter((i) => i.endpoint);
    if (endpoints.length === 0)
      return [
        finding(this, 'pass', 'no integration endpoints in the plan', 'every integration endpoint answers'),
      ];
    const out: Finding[] = [];
    for (const i of endpoints) {
      const threshold = `${i.endpoint} answers HTTP`;
      // any HTTP status means reachable; curl prints 000 and exits non-zero when it is not
      const p = await probe(
        ctx,
        {
          argv: [
            'curl',
            '-sS',
            '-o',
            '/dev/null',
            '-w',
            '%{http_code}',
            '--max-time',
            '10',
            '--',
            i.endpoint!,
          ],
          timeoutMs: 20_000,
        },
        [0, 6, 7, 28, 35, 60],
      );
      if (!p.ok) {
        out.push(unknown(this, threshold, p.reason, i.id));
        continue;
      }
      const status = p.stdout.trim();
      out.push(
        p.code === 0 && status !== '000'
          ? finding(this, 'pass', `HTTP ${status}`, threshold, { idSuffix: i.id })
          : finding(this, 'fail', `not reachable: ${p.stderr.trim().slice(0, 200)}`, threshold, {
              idSuffix: i.id,
              remediation: 'open outgoing HTTPS to this endpoint or correct the integration URL',
            }),
      );
    }
    return out;
  },
};
