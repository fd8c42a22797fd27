import type { Check } from './finding.js';
import { probe } from './probe.js';
import { finding, unknown } from './result.js';
import { judgeIptables, judgeNft, judgeUfw, type FirewallVerdict } from './firewall-rules.js';

/** Policy "Firewall configured": active, denying incoming traffic by default. Asks ufw, nft, iptables. */
export const firewallCheck: Check = {
  id: 'firewall',
  title: 'Firewall active with default deny',
  policyRef: 'env.security.firewall',
  async run(ctx) {
    const threshold = 'active, incoming denied by default';
    const tools: [string[], (s: string) => FirewallVerdict | undefined][] = [
      [['ufw', 'status', 'verbose'], judgeUfw],
      [['nft', 'list', 'ruleset'], judgeNft],
      [['iptables', '-S', 'INPUT'], judgeIptables],
    ];
    // which tools exist, in one unprivileged command, so sudo only runs what is there
    const found = await probe(ctx, {
      argv: [
        'sh',
        '-c',
        'for t in "$@"; do command -v "$t" || true; done',
        'sh',
        ...tools.map(([a]) => a[0]!),
      ],
    });
    if (!found.ok) return [unknown(this, threshold, found.reason)];
    const present = tools.filter(([a]) =>
      found.stdout.split('\n').some((l) => l.trim().endsWith(`/${a[0]}`)),
    );
    if (present.length === 0) {
      return [
        unknown(
          this,
          threshold,
          `none of ufw, nft, iptables is installed on ${ctx.host.name}; check the firewall by hand`,
        ),
      ];
    }
    const reasons: string[] = [];
    let inactive: FirewallVerdict | undefined;
    let answered = false;
    for (const [argv, judge] of present) {
      const p = await probe(ctx, { argv, sudo: true });
      if (!p.ok) {
        reasons.push(p.reason);
        continue;
      }
      answered = true;
      const verdict = judge(p.stdout);
      if (verdict?.active) return [finding(this, 'pass', verdict.how, threshold)];
      if (verdict) inactive ??= verdict;
      else reasons.push(`${argv[0]}: no input filtering configured`);
    }
    if (!answered) return [unknown(this, threshold, reasons.join('; '))];
    return [
      finding(this, 'fail', inactive?.how ?? 'no firewall rules filter incoming traffic', threshold, {
        detail: reasons.join('; '),
        remediation:
          'enable a firewall that denies incoming by default and allows 22, 80, 443 (e.g. ufw default deny incoming; ufw allow 22,80,443/tcp; ufw enable)',
      }),
    ];
  },
};
