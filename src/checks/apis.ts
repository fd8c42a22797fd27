import type { Check, CheckContext, Finding } from './finding.js';
import { ask, type ProbeRequest } from './probe.js';
import { finding, unknown } from './result.js';

// any HTTP status means reachable; curl prints 000 and exits non-zero when it is not
const curlProbe = (endpoint: string): ProbeRequest => ({
  command: {
    argv: ['curl', '-sS', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '10', '--', endpoint],
    timeoutMs: 20_000,
  },
  okCodes: [0, 6, 7, 28, 35, 60],
});

const endpointsOf = (ctx: CheckContext) => ctx.plan.integrations.filter((i) => i.endpoint);

/** Policy "External API endpoints accessible": each plan integration endpoint answers HTTP, from the target. */
export const apisCheck: Check = {
  id: 'apis',
  title: 'External API endpoints reachable from the target',
  policyRef: 'env.network.apis',
  probes: (ctx) => endpointsOf(ctx).map((i) => curlProbe(i.endpoint!)),
  async run(ctx) {
    const endpoints = endpointsOf(ctx);
    if (endpoints.length === 0)
      return [
        finding(this, 'pass', 'no integration endpoints in the plan', 'every integration endpoint answers'),
      ];
    const out: Finding[] = [];
    for (const i of endpoints) {
      const threshold = `${i.endpoint} answers HTTP`;
      const p = await ask(ctx, curlProbe(i.endpoint!));
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
