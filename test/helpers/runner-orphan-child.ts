import { LocalHost } from '../../src/hosts/local.js';
import { acquireLock } from '../../src/runner/lock.js';

/**
 * A run that takes the target lock and starts a long target command, as a deploy does before its
 * installer step: `root started late`. The test kill -9s this process while the command runs;
 * the command (sh + sleep, in their own process group) is then an orphan still holding the run's marker.
 */
const [root, started, late] = process.argv.slice(2) as [string, string, string];
const host = new LocalHost();
const lock = await acquireLock(
  { host, root },
  { person: 'bob', deploymentId: 'acme-2026-12', reason: 'deploy' },
);
process.stdout.write(`${JSON.stringify({ type: 'locked', runId: lock.owner.runId })}\n`);
await host.run({
  argv: ['sh', '-c', 'echo started > "$1"; sleep 120; echo late > "$2"', 'orphan', started, late],
  timeoutMs: 300_000,
});
