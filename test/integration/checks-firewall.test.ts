import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runValidation } from '../../src/checks/run-validation.js';
import { firewallCheck } from '../../src/checks/firewall.js';
import { judgeIptables } from '../../src/checks/firewall-rules.js';
import { loadPolicy } from '../../src/policy/load.js';
import {
  deployUser,
  ensureUser,
  makeTestPlan,
  startNetns,
  startSshd,
  type Netns,
  type Sshd,
} from '../helpers/services/index.js';

/**
 * The firewall check against a real kernel firewall: a server in its own network namespace
 * (so this shared machine's network is untouched), reached over SSH through a veth pair,
 * its nftables ruleset switched between default-deny, accept and none, then iptables rules.
 * nftables, iptables and iproute2 come from .ci/install.sh.
 */
const policy = loadPolicy();
let ns: Netns;
let sshd: Sshd;

const defaultDeny = (sshPort: number) => `table inet filter {
  chain input {
    type filter hook input priority filter; policy drop;
    ct state established,related accept
    iif "lo" accept
    tcp dport ${sshPort} accept
  }
}`;

const validateFirewall = async () => {
  const plan = makeTestPlan({
    target: {
      host: ns.address,
      port: sshd.port,
      user: deployUser,
      identityFile: sshd.clientKeyPath,
      knownHostsFile: sshd.knownHostsPath,
      sudo: true,
    },
  });
  const r = await runValidation({ plan }, { policy, checks: [firewallCheck] });
  expect(r.target).toBe(`${deployUser}@${ns.address}:${sshd.port}`);
  return r.findings[0]!;
};

/** How a TCP connection to a port where nothing listens ends: refused, or no answer (dropped). */
const knock = (host: string, port: number) =>
  new Promise<string>((resolve) => {
    const s = connect({ host, port, timeout: 1_500 });
    s.once('connect', () => (s.destroy(), resolve('connected')));
    s.once('timeout', () => (s.destroy(), resolve('no answer')));
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });

beforeAll(async () => {
  ensureUser(deployUser, { sudo: 'nopasswd' });
  ns = startNetns();
  sshd = await startSshd({ users: [deployUser], netns: ns });
});
afterAll(async () => {
  await sshd?.stop();
  await ns?.stop();
});

describe('firewall check on a server with a real firewall (own network namespace, over SSH)', () => {
  it('passes with an nftables input chain that drops by default, and the drop is real', async () => {
    ns.setNftRuleset(defaultDeny(sshd.port));
    expect(await knock(ns.address, 8080)).toBe('no answer'); // dropped, not refused
    const f = await validateFirewall(); // SSH itself is allowed by the ruleset
    expect(f).toMatchObject({
      checkId: 'firewall',
      status: 'pass',
      observed: 'nftables input chain "input" drops by default',
      policyRef: 'env.security.firewall',
    });
  });

  it('fails when the input chain accepts by default', async () => {
    ns.setNftRuleset(defaultDeny(sshd.port).replace('policy drop;', 'policy accept;'));
    expect(await knock(ns.address, 8080)).toBe('ECONNREFUSED');
    const f = await validateFirewall();
    expect(f).toMatchObject({ status: 'fail', observed: 'nftables input chain accepts by default' });
    expect(f.remediation).toContain('default deny');
  });

  it('fails when no rule filters incoming traffic at all', async () => {
    ns.setNftRuleset('');
    expect(ns.run(['nft', 'list', 'ruleset']).trim()).toBe('');
    const f = await validateFirewall();
    expect(f.status).toBe('fail');
    expect(`${f.observed} ${f.detail}`).toMatch(
      /no firewall rules filter incoming traffic|no input filtering/,
    );
  });

  it('passes with iptables INPUT policy DROP (and reads real iptables -S)', async () => {
    ns.setNftRuleset('');
    ns.run(['iptables', '-A', 'INPUT', '-i', 'lo', '-j', 'ACCEPT']);
    ns.run(['iptables', '-A', 'INPUT', '-p', 'tcp', '--dport', String(sshd.port), '-j', 'ACCEPT']);
    ns.run([
      'iptables',
      '-A',
      'INPUT',
      '-m',
      'conntrack',
      '--ctstate',
      'ESTABLISHED,RELATED',
      '-j',
      'ACCEPT',
    ]);
    ns.run(['iptables', '-P', 'INPUT', 'DROP']);
    try {
      expect(await knock(ns.address, 8080)).toBe('no answer');
      expect(judgeIptables(ns.run(['iptables', '-S', 'INPUT']))).toMatchObject({ active: true });
      const f = await validateFirewall();
      expect(f.status).toBe('pass');
      // iptables-nft rules are nftables rules too: either tool may be the one that says so
      expect(f.observed).toMatch(/iptables INPUT drops by default|nftables input chain "INPUT" drops/);
    } finally {
      ns.run(['iptables', '-P', 'INPUT', 'ACCEPT']);
      ns.run(['iptables', '-F', 'INPUT']);
    }
  });
});
