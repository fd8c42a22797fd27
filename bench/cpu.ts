/** CPU accounting for the validation benchmarks (Linux, root): who spent the machine's cores. */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';

const ticksPerSecond = 100; // USER_HZ on Linux

/** cgroup v1 cpuacct (this machine), else the v2 hierarchy; each counts a group's CPU. */
const hierarchy = existsSync('/sys/fs/cgroup/cpuacct/cpuacct.usage')
  ? { root: '/sys/fs/cgroup/cpuacct', seconds: (dir: string) => Number(read(dir, 'cpuacct.usage')) / 1e9 }
  : {
      root: existsSync('/sys/fs/cgroup/unified/cgroup.procs') ? '/sys/fs/cgroup/unified' : '/sys/fs/cgroup',
      seconds: (dir: string) => Number(/^usage_usec (\d+)/m.exec(read(dir, 'cpu.stat'))?.[1]) / 1e6,
    };

function read(dir: string, file: string): string {
  return readFileSync(join(dir, file), 'utf8');
}

/**
 * A cgroup: processes moved in, and every descendant they start, are counted (an sshd's
 * sessions, their sudo, php, mariadb clients), whether or not anyone reaps them.
 */
export class CpuGroup {
  readonly #dir: string;

  constructor(name: string) {
    this.#dir = join(hierarchy.root, `moko-bench-${process.pid}-${name}`);
    mkdirSync(this.#dir, { recursive: true });
  }

  add(pid: number): void {
    writeFileSync(join(this.#dir, 'cgroup.procs'), `${pid}\n`);
  }

  /** CPU seconds used by the group so far. */
  usage(): number {
    return hierarchy.seconds(this.#dir);
  }

  /** Move what is left back to the root group, then remove this one. */
  remove(): void {
    for (const pid of read(this.#dir, 'cgroup.procs').split('\n').filter(Boolean))
      try {
        writeFileSync(join(hierarchy.root, 'cgroup.procs'), `${pid}\n`);
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
