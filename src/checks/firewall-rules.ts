/** Reading firewall state from the text each tool prints. Pure, so it is tested on real samples. */

export type FirewallVerdict = { active: true; how: string } | { active: false; how: string };

/** nft list ruleset: an input-hook filter chain whose policy is drop (or ends with a catch-all drop/reject). */
export function judgeNft(ruleset: string): FirewallVerdict | undefined {
  const chains = ruleset.split(/\bchain\s+/).slice(1);
  const input = chains.filter((c) => /type\s+filter\s+hook\s+input\b/.test(c));
  if (input.length === 0) return undefined;
  const dropping = input.find((c) => /policy\s+drop\s*;/.test(c) || /\n\s*(drop|reject)\s*(\n|\})/.test(c));
  return dropping
    ? { active: true, how: `nftables input chain "${dropping.split(/\s/)[0]}" drops by default` }
    : { active: false, how: 'nftables input chain accepts by default' };
}

/** iptables -S INPUT: the policy line "-P INPUT DROP" or a final catch-all DROP/REJECT. */
export function judgeIptables(rules: string): FirewallVerdict | undefined {
  if (!/^-P INPUT /m.test(rules)) return undefined;
  if (/^-P INPUT DROP/m.test(rules) || /^-A INPUT -j (DROP|REJECT)/m.test(rules))
    return { active: true, how: 'iptables INPUT drops by default' };
  const ruleCount = (rules.match(/^-A INPUT/gm) ?? []).length;
  return ruleCount > 0 ? undefined : { active: false, how: 'iptables INPUT policy ACCEPT with no rules' };
}

/** ufw status verbose: "Status: active" and "Default: deny (incoming)". */
export function judgeUfw(status: string): FirewallVerdict | undefined {
  if (/Status: inactive/.test(status)) return { active: false, how: 'ufw is inactive' };
  if (!/Status: active/.test(status)) return undefined;
  return /Default:\s*(deny|reject) \(incoming\)/.test(status)
    ? { active: true, how: 'ufw active, default deny incoming' }
    : { active: false, how: 'ufw active but incoming is allowed by default' };
}
