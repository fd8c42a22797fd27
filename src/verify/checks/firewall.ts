import { result, type VerifyCheck } from '../check.js';
import type { VerifyContext } from '../context.js';

/**
 * Verification "Firewall rules active": ufw active, or an nftables input chain / iptables INPUT policy
 * that drops what is not allowed. Reading rules needs root (sudo when the target says so).
 */
async function out(ctx: VerifyContext, argv: string[]): Promise<string | undefined> {
  const r = await ctx.host
    .run({ argv, sudo: ctx.plan.target.sudo, timeoutMs: 20_000 })
    .catch(() => undefined);
  return r && r.code === 0 ? r.stdout : undefined;
}

export function readFirewall(
  ufw?: string,
  nft?: string,
  iptables?: string,
): { active: boolean; seen: string } {
  if (ufw && /Status:\s*active/i.test(ufw)) return { active: true, seen: 'ufw active' };
  if (nft && /hook input[^;]*;[^}]*policy drop/i.test(nft.replace(/\n/g, ' ')))
    return { active: true, seen: 'nftables input chain, policy drop' };
  if (iptables && /^-P INPUT (DROP|REJECT)/m.test(iptables))
    return { active: true, seen: 'iptables INPUT policy DROP' };
  if (iptables && /^-A INPUT .*-j (DROP|REJECT)/m.test(iptables))
    return { active: true, seen: 'iptables INPUT rules with DROP/REJECT' };
  const tools = [
    ufw && 'ufw inactive',
    nft !== undefined && 'nftables without an input drop policy',
    iptables !== undefined && 'iptables INPUT accepts all',
  ].filter(Boolean);
  return {
    active: false,
    seen: tools.length > 0 ? tools.join(', ') : 'no firewall tool answered (ufw, nft, iptables)',
  };
}

export const firewallCheck: VerifyCheck = {
  id: 'firewall',
  item: 'verify.firewall',
  title: 'Firewall',
  async run(ctx) {
    const f = readFirewall(
      await out(ctx, ['ufw', 'status']),
      await out(ctx, ['nft', 'list', 'ruleset']),
      await out(ctx, ['iptables', '-S', 'INPUT']),
    );
    const s = ctx.plan.site;
    return [
      f.active
        ? result('verify.firewall', 'firewall', 'pass', f.seen)
        : result(
            'verify.firewall',
            'firewall',
            'fail',
            f.seen,
            `turn a firewall on that allows only SSH, ${s.httpPort} and ${s.httpsPort}: ufw default deny incoming; ufw allow 22,${s.httpPort},${s.httpsPort}/tcp; ufw enable`,
          ),
    ];
  },
};
