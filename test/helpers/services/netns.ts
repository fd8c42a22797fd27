import { execFileSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';

/**
 * A network namespace joined to this one by a veth pair: a "server" with its own firewall that
 * tests may set to default-deny without touching this machine's (shared) network.
 * `address` is the namespace's side, reachable from here; `hostAddress` is ours, seen from there.
 * Needs root, iproute2 and nftables (.ci/install.sh).
 */
export interface Netns {
  name: string;
  address: string;
  hostAddress: string;
  /** argv prefix that runs a program inside the namespace. */
  exec: string[];
  /** Replace the namespace's whole nftables ruleset (nft -f syntax). */
  setNftRuleset(ruleset: string): void;
  /** Run a command inside the namespace (e.g. iptables), returning its stdout. */
  run(argv: string[], input?: string): string;
  stop(): Promise<void>;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] });

export function startNetns(): Netns {
  const id = randomBytes(3).toString('hex');
  const name = `moko-${id}`;
  // a random /30 in 10.251.0.0/16, unlikely to meet another test's or a real network
  const base = randomInt(0, 16384) * 4;
  const addr = (n: number) => `10.251.${(base + n) >> 8}.${(base + n) & 255}`;
  const [outside, inside] = [`mk${id}a`, `mk${id}b`];
  ip('netns', 'add', name);
  const exec = ['ip', 'netns', 'exec', name];
  const run = (argv: string[], input?: string) =>
    execFileSync(exec[0]!, [...exec.slice(1), ...argv], {
      input,
      stdio: ['pipe', 'pipe', 'pipe'],
    }).toString();
  try {
    ip('link', 'add', outside, 'type', 'veth', 'peer', 'name', inside, 'netns', name);
    ip('addr', 'add', `${addr(1)}/30`, 'dev', outside);
    ip('link', 'set', outside, 'up');
    run(['ip', 'addr', 'add', `${addr(2)}/30`, 'dev', inside]);
    run(['ip', 'link', 'set', inside, 'up']);
    run(['ip', 'link', 'set', 'lo', 'up']);
  } catch (e) {
    ip('netns', 'del', name);
    throw e;
  }
  return {
    name,
    address: addr(2),
    hostAddress: addr(1),
    exec,
    run,
    setNftRuleset: (ruleset) => void run(['nft', '-f', '-'], `flush ruleset\n${ruleset}\n`),
    stop: async () => {
      // deleting the namespace removes its end of the veth pair, and with it ours
      for (const pid of ip('netns', 'pids', name).toString().split('\n').filter(Boolean)) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      ip('netns', 'del', name);
    },
  };
}
