/**
 * Where one target's validation CPU goes, on the target side: an SSH connection, an exec channel,
 * each probe batch, and each probe command on its own (all measured in a cpuacct group holding the
 * target's sshd, so every process the sessions start is counted). Run as root:
 * npx tsx bench/validate-profile.ts [repeats]
 */
import { allChecks } from '../src/checks/index.js';
import type { CheckContext } from '../src/checks/finding.js';
import { probeCommand, probeKey, probePath } from '../src/checks/probe.js';
import { batchable, buildBatch } from '../src/hosts/batch.js';
import type { Command } from '../src/hosts/host.js';
import { SshHost } from '../src/hosts/ssh.js';
import { loadPolicy } from '../src/policy/load.js';
import {
  deployUser,
  ensureUser,
  sshTargetOf,
  startSshd,
  startTestEnvironment,
} from '../test/helpers/services/index.js';
import { CpuGroup, load } from './cpu.js';

const repeats = Number(process.argv[2] ?? 3);

async function main(): Promise<void> {
  ensureUser(deployUser, { sudo: 'nopasswd' });
  const env = await startTestEnvironment();
  const sshd = await startSshd({ users: [deployUser] });
  const group = new CpuGroup('profile');
  group.add(sshd.pid);
  const open = () => new SshHost(sshTargetOf(sshd, deployUser));
  /** Median target-side CPU (ms) of `work` over the repeats, on a connection opened beforehand. */
  const cost = async (work: (h: SshHost) => Promise<unknown>, connectToo = false): Promise<number> => {
    const samples: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const h = open();
      if (!connectToo) await h.connect();
      const before = group.usage();
      await work(h);
      await h.close();
      await new Promise((r) => setTimeout(r, 200)); // let the session processes finish
      samples.push((group.usage() - before) * 1000);
    }
    return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
  };
  try {
    const host = open();
    const ctx: CheckContext = {
      host,
      policy: loadPolicy(),
      plan: { ...env.plan, target: { ...env.plan.target, user: deployUser, sudo: true } },
      now: new Date(),
      options: env.options,
    };
    const seen = new Set<string>();
    const commands: Command[] = allChecks
      .flatMap((c) => c.probes?.(ctx) ?? [])
      .filter((r) => !seen.has(probeKey(r.command, r.okCodes)) && seen.add(probeKey(r.command, r.okCodes)))
      .map((r) => probeCommand(ctx, r.command))
      .filter(batchable);
    const rows: [string, number][] = [];
    rows.push(['SSH connection (key exchange, auth, close)', await cost((h) => h.connect(), true)]);
    rows.push(['exec channel running `true`', await cost((h) => h.run({ argv: ['true'] }))]);
    rows.push([
      'exec channel running `sudo -n true`',
      await cost((h) => h.run({ argv: ['true'], sudo: true })),
    ]);
    for (const sudo of [false, true]) {
      const group = commands.filter((c) => (c.sudo ?? false) === sudo);
      rows.push([
        `batch of ${group.length} ${sudo ? 'sudo' : 'unprivileged'} probes (one channel)`,
        await cost((h) =>
          h.run({
            ...buildBatch(
              group.map((c) => ({ ...c, sudo: false })),
              sudo,
            ).command,
            env: { PATH: probePath },
          }),
        ),
      ]);
    }
    for (const c of commands)
      rows.push([
        `  alone: ${c.sudo ? 'sudo ' : ''}${c.argv.slice(0, 2).join(' ').replace(/\s+/g, ' ').slice(0, 48)}`,
        await cost((h) => h.run(c)),
      ]);
    console.log(`target-side CPU, median of ${repeats} (load average ${load()}):`);
    for (const [what, ms] of rows) console.log(`${ms.toFixed(0).padStart(6)} ms  ${what}`);
  } finally {
    await sshd.stop();
    await env.stop();
    group.remove();
  }
}

await main();
