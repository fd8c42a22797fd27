import type { Check } from './finding.js';
import { ask, type ProbeRequest } from './probe.js';
import { finding, unknown } from './result.js';

const gib = 1024 ** 3;
/** The kernel reserves some RAM, so a 4 GB machine reports a little less in MemTotal. */
const allowance = 0.95;

const meminfoProbe: ProbeRequest = { command: { argv: ['cat', '/proc/meminfo'] } };

/** Policy "minimum 4GB RAM": MemTotal from /proc/meminfo. */
export const memoryCheck: Check = {
  id: 'memory',
  title: 'Memory (RAM)',
  policyRef: 'env.server.memory',
  probes: () => [meminfoProbe],
  async run(ctx) {
    const min = ctx.policy.environment.server.memoryGb.min;
    const threshold = `>= ${min} GB RAM (MemTotal, ${Math.round((1 - allowance) * 100)}% allowance for kernel reservations)`;
    const p = await ask(ctx, meminfoProbe);
    if (!p.ok) return [unknown(this, threshold, p.reason)];
    const kb = Number(/^MemTotal:\s+(\d+) kB/m.exec(p.stdout)?.[1]);
    if (!kb) return [unknown(this, threshold, 'no MemTotal in /proc/meminfo')];
    const bytes = kb * 1024;
    const observed = `${(bytes / gib).toFixed(1)} GB RAM`;
    if (bytes < min * gib * allowance)
      return [
        finding(this, 'fail', observed, threshold, {
          remediation: `give the server at least ${min} GB of RAM`,
        }),
      ];
    return [finding(this, 'pass', observed, threshold)];
  },
};
