import type { Check } from './finding.js';
import { ask, type ProbeRequest } from './probe.js';
import { finding, unknown } from './result.js';
import { judgeIptables, judgeNft, judgeUfw, type FirewallVerdict } from './firewall-rules.js';

/** Each tool's read-only listing and how to read it; a tool that is not installed exits 127. */
const tools: { request: ProbeRequest; judge: (s: string) => FirewallVerdict | undefined }[] = [
  { request: { command: { argv: ['ufw', 'status', 'verbose'], sudo: true } }, judge: judgeUfw },
  { request: { command: { argv: ['nft', 'list', 'ruleset'], sudo: true } }, judge: judgeNft },
  { request: { command: { argv: ['iptables', '-S', 'INPUT'], sudo: true } }, judge: judgeIptables },
];

/** Policy "Firewall configured": active, denying incoming traffic by default. Asks ufw, nft, iptables. */
export const firewallCheck: Check = {
  id: 'firewall',
  title: 'Firewall active with default deny',
  policyRef: 'env.security.firewall',
  probes: () => tools.map((t) => t.request),
  async run(ctx) {
    const threshold = 'active, incoming denied by default';
    const answers = await Promise.all(tools.map((t) => ask(ctx, t.request)));
    const present = tools
      .map((t, i) => ({ ...t, answer: answers[i]! }))
      .filter(({ answer }) => answer.ok || answer.code !== 127);
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
    for (const { request, judge, answer } of present) {
      if (!answer.ok) {
        reasons.push(answer.reason);
        continue;
      }
      answered = true;
      const verdict = judge(answer.stdout);
      if (verdict?.active) return [finding(this, 'pass', verdict.how, threshold)];
      if (verdict) inactive ??= verdict;
      else reasons.push(`${request.command.argv[0]}: no input filtering configured`);
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
