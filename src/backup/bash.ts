import type { Command } from '../hosts/host.js';

/**
 * A pipeline or redirection as one command: `bash -c` with pipefail, so a failing first stage fails the
 * whole (dash has no pipefail). The script is built only with the quoting helpers of hosts/shell.ts.
 */
export function bashCommand(script: string, timeoutMs = 1_800_000): Command {
  return { sudo: true, argv: ['bash', '-c', `set -euo pipefail; ${script}`], timeoutMs };
}
