import { LocalHost } from '../../src/hosts/local.js';
import { SshHost } from '../../src/hosts/ssh.js';
import type { Host } from '../../src/hosts/host.js';
import { acquireLock } from '../../src/runner/lock.js';

/**
 * A run that takes the target lock and starts a long target command, as a deploy does before its
 * installer step: `root started late [ssh-target-json]`. The test kill -9s this process while the command
 * runs; the command (sh + sleep, in their own process group) is then an orphan still holding the run's marker.
 * With an SSH target (JSON of SshHost options, sudo), the command runs on the server over SSH.
 */
const [root, started, late, sshJson] = process.argv.slice(2) as [string, string, string, string?];
const ssh = sshJson ? (JSON.parse(sshJson) as ConstructorParameters<typeof SshHost>[0]) : undefined;
const host: Host = ssh ? new SshHost(ssh) : new LocalHost();
const lock = await acquireLock(
  { host, root, sudo: ssh?.sudo },
  { person: 'bob', deploymentId: 'acme-2026-12', reason: 'deploy' },
);
process.stdout.write(`${JSON.stringify({ type: 'locked', runId: lock.owner.runId })}\n`);
await host.run({
  argv: ['sh', '-c', 'echo started > "$1"; sleep 120; echo late > "$2"', 'orphan', started, late],
  sudo: ssh?.sudo,
  timeoutMs: 300_000,
});
