import type { Host, RunResult } from '../hosts/host.js';
import { MokoError, targetError } from '../core/errors.js';
import { redact } from '../core/secret.js';
import type { Action } from '../steps/step.js';
import { describeAction } from './describe.js';

const stderrTailLines = 20;

/**
 * A command that ran and failed, with everything it printed (redacted): a caller that knows the program (Dolibarr's
 * upgrade pages print the failing SQL and the database's message in their HTML) finds the cause in it and keeps
 * the whole as evidence; the message and details stay short.
 */
export class CommandError extends MokoError {
  readonly output: string;

  constructor(message: string, opts: { where?: string; details?: string[]; output: string }) {
    super('target', message, opts);
    this.output = opts.output;
  }
}

/** Do one action on the host; any failure becomes a target error naming the step and the command. */
export async function performAction(host: Host, action: Action, stepId: string): Promise<void> {
  const text = describeAction(action);
  try {
    if (action.kind === 'write') return await host.writeFile(action.file);
    const result = await host.run(action.command);
    if (result.code !== null && (action.okCodes ?? [0]).includes(result.code)) return;
    throw new CommandError(`step ${stepId} failed: ${action.description}: ${why(result)}`, {
      where: host.name,
      details: [`command: ${text}`, ...tail(result.stderr || result.stdout)],
      output: redact([result.stdout, result.stderr].filter((x) => x.trim() !== '').join('\n')),
    });
  } catch (e) {
    if (e instanceof MokoError) throw e;
    throw targetError(`step ${stepId} failed: ${action.description}: ${redact((e as Error).message)}`, {
      where: host.name,
      details: [`${action.kind === 'write' ? 'file' : 'command'}: ${text}`],
    });
  }
}

function why(result: RunResult): string {
  if (result.timedOut) return `timed out after ${Math.round(result.durationMs / 1000)} s`;
  if (result.code === null) return 'killed by a signal';
  return `exit code ${result.code}`;
}

function tail(output: string): string[] {
  const lines = redact(output)
    .trimEnd()
    .split('\n')
    .filter((l) => l.trim() !== '');
  const shown = lines.slice(-stderrTailLines).map((l) => `| ${l}`);
  return lines.length > stderrTailLines
    ? [`| … (${lines.length - stderrTailLines} earlier lines)`, ...shown]
    : shown;
}
