import { z } from 'zod';
import { inputError } from '../core/errors.js';
import { personLogin } from '../core/plan-strings.js';

/**
 * A job is a CLI command as data: which command, on which deployment, with which options, as whom. The worker
 * runs exactly that command (src/worker/run-job.ts), so a queued deploy takes the same code path, locks and
 * journal as a typed one. Only ids and option values travel; secrets stay in each machine's secret store.
 */
export const queueableCommands = [
  ['deploy'],
  ['upgrade'],
  ['rollback'],
  ['verify'],
  ['hypercare', 'run'],
  ['migrate', 'run'],
  ['validate'],
] as const;

export type QueueableCommand = (typeof queueableCommands)[number];

/** The program's own options (store, output): a job never sets them, the worker does. */
const globalOptions = new Set(['home', 'store', 'evidence-store', 'json', 'verbose', 'help']);

/** An option as given: a flag, a value, or a repeatable option's values. */
const optionValue = z.union([z.literal(true), z.string(), z.array(z.string())]);

export const jobArgsSchema = z
  .object({
    /** The deployment id (the command's first argument); never read as an option, whatever swallows the `--`. */
    deploymentId: z.string().min(1).max(200).regex(/^[A-Za-z0-9_]/, 'a deployment id starts with a letter or digit'),
    /** Who acts: always resolved at enqueue time, so a worker never acts as its own default person. */
    as: personLogin,
    /** The command's options by their long name (without `--`), as the person gave them; never a global one. */
    options: z.record(
      z
        .string()
        .regex(/^[a-z][a-z0-9-]*$/)
        .refine((name) => !globalOptions.has(name), { message: 'a global option is the worker\'s own' }),
      optionValue,
    ),
  })
  .strict();

export type JobArgs = z.infer<typeof jobArgsSchema>;

export interface JobRequest {
  command: QueueableCommand;
  args: JobArgs;
  requestedBy: string;
  requestedVia: 'cli' | 'dashboard' | 'fleet';
  fleetId?: string;
}

export function commandOf(words: readonly string[]): QueueableCommand {
  const found = queueableCommands.find((c) => c.length === words.length && c.every((w, i) => w === words[i]));
  if (!found) {
    throw inputError(`\`${words.join(' ')}\` cannot be queued`, {
      fix: `queue one of: ${queueableCommands.map((c) => c.join(' ')).join(', ')}`,
    });
  }
  return found;
}

/** Options the queue sets itself or that make no sense on a worker. */
const notForwarded = new Set(['queue', 'as']);

/**
 * The argv the worker hands to the CLI (after the program name): command words, `--as`, every option, then `--`
 * and the deployment id, so no value is ever read as an option. A value is glued to its option (`--name=value`):
 * as a word of its own, commander's program would read a value such as `--home=/x` or `--store=…` as the
 * program's own option (it scans every word before `--`, not knowing the command's options take a value).
 */
export function jobArgv(command: readonly string[], args: JobArgs): string[] {
  return argvOf(commandOf(command), args); // a row's command column is data too: only a queueable command runs
}

function argvOf(command: readonly string[], args: JobArgs): string[] {
  const opts: string[] = ['--as', args.as];
  for (const [name, value] of Object.entries(args.options).sort(([a], [b]) => a.localeCompare(b))) {
    if (notForwarded.has(name)) continue;
    if (value === true) opts.push(`--${name}`);
    else for (const v of Array.isArray(value) ? value : [value]) opts.push(`--${name}=${v}`);
  }
  return [...command, ...opts, '--', args.deploymentId];
}

/** The `mokodeploy …` line a job stands for, for people (lists, logs, the dashboard). */
export function describeJob(command: readonly string[], args: JobArgs): string {
  return ['mokodeploy', ...argvOf(command, args)].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}
