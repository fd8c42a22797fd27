import { connect } from 'node:net';
import type { Check, CheckContext } from './finding.js';
import { finding } from './result.js';
import { siteAddress } from './site-address.js';

function tcpOpen(host: string, port: number, timeoutMs: number): Promise<string | true> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(`no answer within ${timeoutMs / 1000} s`);
    });
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

/** The policy's ports as this plan serves them (80 -> site.httpPort, 443 -> site.httpsPort). */
function portsToCheck(ctx: CheckContext): { policy: number; actual: number }[] {
  const map: Record<number, number> = { 80: ctx.plan.site.httpPort, 443: ctx.plan.site.httpsPort };
  return ctx.policy.environment.network.requiredPorts.map((p) => ({ policy: p, actual: map[p] ?? p }));
}

/** Policy "Required ports open": reachable from where mokodeploy runs. */
export const portsCheck: Check = {
  id: 'ports',
  title: 'Required ports open',
  policyRef: 'env.network.ports',
  async run(ctx) {
    const address = siteAddress(ctx);
    return Promise.all(
      portsToCheck(ctx).map(async ({ policy, actual }) => {
        const label = policy === actual ? `${actual}` : `${actual} (policy ${policy})`;
        const r = await tcpOpen(address, actual, 5_000);
        return r === true
          ? finding(this, 'pass', `${address}:${label} open`, `${label}/tcp open`, {
              idSuffix: String(policy),
            })
          : finding(this, 'fail', `${address}:${label} ${r}`, `${label}/tcp open`, {
              idSuffix: String(policy),
              remediation: `start the web server on ${actual} and allow it in the firewall`,
            });
      }),
    );
  },
};
