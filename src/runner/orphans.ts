import { runMarkerVariable, type Command } from '../hosts/host.js';
import type { LockTarget } from './lock.js';

/**
 * Issue 14 point 2: after a kill -9 of the tool, what its run started on the target (the PHP installer,
 * a dump) keeps running as orphans, in their own process groups. Every command of a locked run carries
 * MOKODEPLOY_RUN=<the lock's runId> in its environment (Host.markRun), and every process it starts
 * inherits it, so a take-over finds them all in /proc/<pid>/environ — locally and over SSH alike —
 * and stops them (TERM, up to `graceSeconds`, then KILL) before the new run touches anything.
 */
export interface Orphan {
  pid: number;
  command: string;
}

// $1 = the marker (positional: never spliced into the script), $2 = grace in tenths of a second
const script = `m=$1
pids() { grep -lsaF -e "$m" /proc/[0-9]*/environ 2>/dev/null | sed -n 's|^/proc/\\([0-9]*\\)/environ$|\\1|p' | grep -vx "$$"; }
found=$(pids)
[ -z "$found" ] && exit 0
for p in $found; do printf '%s %s\\n' "$p" "$(tr '\\000' ' ' < /proc/$p/cmdline 2>/dev/null | cut -c1-200)"; done
kill -TERM $found 2>/dev/null
i=0
while [ "$i" -lt "$2" ]; do [ -z "$(pids)" ] && exit 0; sleep 0.1; i=$((i + 1)); done
left=$(pids)
[ -n "$left" ] && kill -KILL $left 2>/dev/null
sleep 0.2
exit 0`;

/** The command that stops the processes a dead run left (as data: the runner or a test runs it). */
export function stopOrphansCommand(runId: string, graceSeconds = 10, sudo?: boolean): Command {
  return {
    argv: ['sh', '-c', script, 'stop-orphans', `${runMarkerVariable}=${runId}`, String(graceSeconds * 10)],
    sudo,
    // never tagged with a run's marker itself (the host may be marked with the very run it looks for)
    env: { [runMarkerVariable]: 'stop-orphans' },
    timeoutMs: (graceSeconds + 30) * 1000,
  };
}

/** Stop what the dead run `runId` left running on the lock's target; returns what was stopped. */
export async function stopOrphans(target: LockTarget, runId: string): Promise<Orphan[]> {
  const r = await target.host.run(stopOrphansCommand(runId, 10, target.sudo));
  return r.stdout
    .split('\n')
    .map((l) => /^(\d+) ?(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), command: m[2]!.trim() }));
}
