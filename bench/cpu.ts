/** CPU accounting for the validation benchmarks (Linux, root): who spent the machine's cores. */
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';

const ticksPerSecond = 100; // USER_HZ on Linux

const cpuacct = '/sys/fs/cgroup/cpuacct';

/**
 * A cgroup-v1 cpuacct group: processes moved in, and every descendant they start, are counted
 * (an sshd's sessions, their sudo, php, mariadb clients), whether or not anyone reaps them.
 */
export class CpuGroup {
  readonly #dir: string;

  constructor(name: string) {
    this.#dir = join(cpuacct, `moko-bench-${process.pid}-${name}`);
    mkdirSync(this.#dir, { recursive: true });
  }

  add(pid: number): void {
    writeFileSync(join(this.#dir, 'cgroup.procs'), `${pid}\n`);
  }

  /** CPU seconds used by the group so far. */
  usage(): number {
    return Number(readFileSync(join(this.#dir, 'cpuacct.usage'), 'utf8')) / 1e9;
  }

  /** Move what is left back to the root group, then remove this one. */
  remove(): void {
    for (const pid of readFileSync(join(this.#dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean))
      try {
        writeFileSync(join(cpuacct, 'cgroup.procs'), `${pid}\n`);
      } catch {
        /* exited meanwhile */
      }
    rmdirSync(this.#dir);
  }
}

/** Busy CPU seconds of the whole machine so far (all cores, every user; not idle or iowait). */
export function machineBusyCpu(): number {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  return (user! + nice! + system! + irq! + softirq! + steal!) / ticksPerSecond;
}

export const cores = () => cpus().length;
export const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
