import type { Command } from '../hosts/host.js';

/**
 * A pipeline or redirection as one command: `bash -c` with errexit, nounset and pipefail given as bash's own
 * options (nothing prepended to the script), so a failing first stage fails the whole (dash has no pipefail).
 * Prefer a constant script with its values as positional parameters (`args`: "$1", "${@:2}" …); older
 * scripts are built only with the quoting helpers of hosts/shell.ts.
 */
export function bashCommand(script: string, timeoutMs = 1_800_000, args: readonly string[] = []): Command {
  return { sudo: true, argv: ['bash', '-e', '-u', '-o', 'pipefail', '-c', script, 'bash', ...args], timeoutMs };
}
