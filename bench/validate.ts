/**
 * Benchmark: environment validation of 1 target, then of 20 targets at once (20 real sshd instances
 * on loopback ports, one shared service stack behind them). Prints both times and the ratio;
 * the goal is 20 targets <= 2x one target. Run as root: npx tsx bench/validate.ts [targets]
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { validateMany, runValidation } from '../src/checks/run-validation.js';
import type { Plan } from '../src/core/plan.js';
import { loadPolicy } from '../src/policy/load.js';
import {
  deployUser,
  ensureUser,
  startSshd,
  startTestEnvironment,
  type Sshd,
} from '../test/helpers/services/index.js';

const count = Number(process.argv[2] ?? 20);
const policy = loadPolicy();

async function main(): Promise<void> {
  ensureUser(deployUser, { sudo: 'nopasswd' });
  const env = await startTestEnvironment();
  const sshds: Sshd[] = [];
  try {
    for (let i = 0; i < count; i += 5)
      sshds.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(5, count - i) }, () => startSshd({ users: [deployUser] })),
        )),
      );
    const planFor = (s: Sshd): Plan => ({
      ...env.plan,
      target: {
        ...env.plan.target,
        host: '127.0.0.1',
        port: s.port,
        user: deployUser,
        identityFile: s.clientKeyPath,
        knownHostsFile: s.knownHostsPath,
        sudo: true,
      },
    });
    const targets = sshds.map((s) => ({ plan: planFor(s), options: env.options }));
    await runValidation(targets[0]!, { policy }); // warm caches (PHP, MariaDB, disk) before timing

    let t = performance.now();
    let cpu = process.cpuUsage();
    const one = await runValidation(targets[1 % targets.length]!, { policy });
    const single = performance.now() - t;
    const singleCpu = process.cpuUsage(cpu);

    t = performance.now();
    cpu = process.cpuUsage();
    const many = await validateMany(targets, { policy, concurrency: count });
    const all = performance.now() - t;
    const allCpu = process.cpuUsage(cpu);
    const ms = (c: NodeJS.CpuUsage) => ((c.user + c.system) / 1000).toFixed(0);

    const unknowns = many.flatMap((r) =>
      r.findings.filter((f) => f.status === 'unknown').map((f) => `${r.target} ${f.checkId}: ${f.detail}`),
    );
    console.log(
      `findings per target: ${one.findings.length}; unknown findings across ${count} targets: ${unknowns.length}`,
    );
    for (const u of unknowns.slice(0, 5)) console.log(`  ${u}`);
    console.log(`1 target:   ${(single / 1000).toFixed(2)} s`);
    console.log(`${count} targets: ${(all / 1000).toFixed(2)} s`);
    console.log(`ratio:      ${(all / single).toFixed(2)}x (goal <= 2x)`);
    // All 20 "servers" are this machine: their PHP, sudo, sshd and MariaDB work shares its cores with us.
    console.log(`mokodeploy's own CPU: ${ms(singleCpu)} ms for 1 target, ${ms(allCpu)} ms for ${count}`);
    console.log(
      `machine load average: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${cpus().length} cores`,
    );
  } finally {
    await Promise.all([...sshds.map((s) => s.stop()), env.stop()]);
  }
}

await main();
