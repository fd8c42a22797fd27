import { lookup } from 'node:dns/promises';
import { networkInterfaces } from 'node:os';
import type { Check, CheckContext, Finding } from './finding.js';
import { ask, type ProbeRequest } from './probe.js';
import { finding, unknown } from './result.js';
import { siteAddress } from './site-address.js';

async function addressesOf(name: string): Promise<string[]> {
  return (await lookup(name, { all: true })).map((a) => a.address);
}

function localAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address));
}

/** The addresses that count as "the target": its own name resolved here (plus ours for "local"). */
async function targetAddresses(ctx: CheckContext): Promise<string[]> {
  const target = siteAddress(ctx);
  const own = /^[\d.]+$|:/.test(target) ? [target] : await addressesOf(target);
  return ctx.plan.target.host === 'local' && !ctx.options?.connectAddress
    ? [...own, ...localAddresses()]
    : own;
}

const getentProbe = (ctx: CheckContext): ProbeRequest => ({
  command: { argv: ['getent', 'ahosts', ctx.plan.site.domain] },
  okCodes: [0, 2],
});

/** Resolution as the target itself sees it (getent: /etc/hosts and its resolvers). */
async function resolveOnTarget(
  ctx: CheckContext,
): Promise<{ ok: true; addresses: string[] } | { ok: false; reason: string }> {
  const p = await ask(ctx, getentProbe(ctx));
  if (!p.ok) return p;
  return {
    ok: true,
    addresses: [
      ...new Set(
        p.stdout
          .split('\n')
          .map((l) => l.split(/\s+/)[0]!)
          .filter(Boolean),
      ),
    ],
  };
}

/**
 * Policy "Domain name configured" and "DNS records propagated": the site's domain resolves to the
 * target both from here and on the target itself.
 */
export const dnsCheck: Check = {
  id: 'dns',
  title: 'Domain resolves to the target',
  policyRef: 'env.network.dns',
  probes: (ctx) => [getentProbe(ctx)],
  async run(ctx) {
    const { domain } = ctx.plan.site;
    const target = siteAddress(ctx);
    const threshold = `${domain} resolves to ${target}`;
    let expected: string[];
    try {
      expected = await targetAddresses(ctx);
    } catch (e) {
      return [
        unknown(
          this,
          threshold,
          `cannot resolve the target ${target}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        ),
      ];
    }
    const out: Finding[] = [];
    const remedy = {
      remediation: `create the A/AAAA record for ${domain} pointing to ${target} and wait for propagation`,
    };
    try {
      const got = await addressesOf(domain);
      const observed = `${domain} -> ${got.join(', ')}`;
      out.push(
        got.some((a) => expected.includes(a))
          ? finding(this, 'pass', observed, threshold)
          : finding(this, 'fail', observed, threshold, remedy),
      );
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      out.push(
        code === 'ENOTFOUND' || code === 'ENODATA'
          ? finding(this, 'fail', `${domain} does not resolve (${code})`, threshold, remedy)
          : unknown(this, threshold, `DNS lookup of ${domain} failed: ${code ?? (e as Error).message}`),
      );
    }
    const onTarget = await resolveOnTarget(ctx);
    const t = {
      idSuffix: 'on-target',
      title: 'Domain configured on the target',
      policyRef: 'env.network.domain',
    };
    if (!onTarget.ok)
      out.push({
        ...unknown(this, threshold, onTarget.reason, 'on-target'),
        title: t.title,
        policyRef: t.policyRef,
      });
    else if (onTarget.addresses.length === 0)
      out.push(
        finding(this, 'fail', `${domain} does not resolve on ${ctx.host.name}`, threshold, {
          ...t,
          ...remedy,
        }),
      );
    else {
      const observed = `on ${ctx.host.name}: ${domain} -> ${onTarget.addresses.join(', ')}`;
      // the target may legitimately map its own name to loopback (/etc/hosts)
      const fine = onTarget.addresses.some((a) => expected.includes(a) || /^127\.|^::1$/.test(a));
      out.push(finding(this, fine ? 'pass' : 'fail', observed, threshold, { ...t, ...remedy }));
    }
    return out;
  },
};
