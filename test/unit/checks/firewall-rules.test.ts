import { describe, expect, it } from 'vitest';
import { judgeIptables, judgeNft, judgeUfw } from '../../../src/checks/firewall-rules.js';

const nftDrop = `table inet filter {
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		iif "lo" accept
		tcp dport { 22, 80, 443 } accept
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
	}
}`;

describe('firewall rules', () => {
  it('nft: default drop on input passes, accept does not, no input chain is undecided', () => {
    expect(judgeNft(nftDrop)).toMatchObject({ active: true });
    expect(judgeNft(nftDrop.replace('policy drop;\n\t\tct', 'policy accept;\n\t\tct'))).toMatchObject({
      active: false,
    });
    expect(judgeNft('')).toBeUndefined();
  });

  it('iptables: -P INPUT DROP or a final catch-all', () => {
    expect(judgeIptables('-P INPUT DROP\n-A INPUT -i lo -j ACCEPT\n')).toMatchObject({ active: true });
    expect(
      judgeIptables('-P INPUT ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -j REJECT\n'),
    ).toMatchObject({ active: true });
    expect(judgeIptables('-P INPUT ACCEPT\n')).toMatchObject({ active: false });
  });

  it('ufw: active with default deny incoming', () => {
    expect(
      judgeUfw(
        'Status: active\nLogging: on (low)\nDefault: deny (incoming), allow (outgoing), disabled (routed)\n',
      ),
    ).toMatchObject({ active: true });
    expect(judgeUfw('Status: active\nDefault: allow (incoming), allow (outgoing)\n')).toMatchObject({
      active: false,
    });
    expect(judgeUfw('Status: inactive\n')).toMatchObject({ active: false });
  });
});
