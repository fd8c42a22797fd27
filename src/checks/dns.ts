import { lookup } from 'node:dns/promises';
import { networkInterfaces } from 'node:os';
import type { Check } from './finding.js';
import { finding, unknown } from './result.js';
import { siteAddress } from './site-address.js';

async function addressesOf(name: string): Promise<string[]> {
  return (await lookup(name, { all: true })).map((a) => a.address);
}

function localAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address));
}

/** Policy "Domain name configured / DNS records propagated": the site's domain resolves to the target. */
export const dnsCheck: Check = {
  id: 'dns',
  title: 'Domain resolves to the target',
  policyRef: 'env.network.dns',
  async run(ctx) {
    const { domain } = ctx.plan.site;
    const target = siteAddress(ctx);
    let expected: string[];
    try {
      expected = /^[\d.]+$|:/.test(target) ? [target] : await addressesOf(target);
      if (ctx.plan.target.host === 'local' && !ctx.options?.connectAddress) expected = [...expected, ...localAddresses()];
    } catch (e) {
      return [unknown(this, `${domain} -> ${target}`, `cannot resolve the target ${target}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)];
    }
    const threshold = `${domain} resolves to ${target}`;
    let got: string[];
    try {
      got = await addressesOf(domain);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTFOUND' || code === 'ENODATA') {
        return [finding(this, 'fail', `${domain} does not resolve (${code})`, threshold, { remediation: `create the A/AAAA record for ${domain} pointing to ${target} and wait for propagation` })];
      }
      return [unknown(this, threshold, `DNS lookup of ${domain} failed: ${code ?? (e as Error).message}`)];
    }
    const observed = `${domain} -> ${got.join(', ')}`;
    return got.some((a) => expected.includes(a))
      ? [finding(this, 'pass', observed, threshold)]
      : [finding(this, 'fail', observed, threshold, { remediation: `point ${domain} at ${expected.join(' or ')}` })];
  },
};
