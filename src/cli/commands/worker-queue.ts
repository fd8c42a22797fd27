import { Option, type Command } from 'commander';
import type { AppContext } from '../../app/context.js';
import { inputError, notFound } from '../../core/errors.js';
import { commandOf, describeJob, type JobArgs } from '../../queue/job.js';
import { enqueueJob } from '../../queue/enqueue.js';
import { openQueuePool } from '../../queue/pool.js';
import { queueUrlFrom } from '../../queue/url.js';
import { checkDeployStart } from '../../queue/deploy-check.js';

/** `--queue` on every queueable command (issue 20): the command becomes a job for `mokodeploy worker`. */
export const queueFlag = (): Option =>
  new Option(
    '--queue',
    'do not run here: queue it for a `mokodeploy worker` (PostgreSQL queue from $MOKODEPLOY_QUEUE or a postgres:// $MOKODEPLOY_STORE)',
  );

/** The queue's URL for a command: the environment, or the program's `--store` when it is PostgreSQL. */
export function queueUrlOf(cmd: Command): string {
  let root = cmd;
  while (root.parent) root = root.parent;
  return queueUrlFrom(process.env, root.opts<{ store?: string }>().store);
}

/** The command was given `--queue`. */
export const queued = (cmd: Command): boolean => cmd.opts<{ queue?: boolean }>().queue === true;

/** The command as the person typed it, as a job: its words, its deployment, the options given on the command line. */
export function jobArgsOf(cmd: Command, as: string): { words: string[]; args: JobArgs } {
  const words: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) words.unshift(c.name());
  const deploymentId = cmd.processedArgs[0] as string | undefined;
  if (!deploymentId) {
    throw inputError(`a queued \`${words.join(' ')}\` names a deployment`, {
      fix: `mokodeploy ${words.join(' ')} <deployment-id> --queue`,
    });
  }
  const options: JobArgs['options'] = {};
  const values = cmd.opts<Record<string, unknown>>();
  for (const opt of cmd.options) {
    const key = opt.attributeName();
    if (!opt.long || cmd.getOptionValueSource(key) !== 'cli') continue; // defaults are the worker's own
    const name = opt.long.slice(2);
    if (name === 'queue' || name === 'as') continue; // the job itself, and its own `as`
    const v = values[key];
    if (typeof v === 'boolean') options[name] = true; // `--flag` or `--no-flag`, as given
    else if (Array.isArray(v)) options[name] = v.map(String);
    else if (v !== undefined) options[name] = String(v);
  }
  return { words, args: { deploymentId, as, options } };
}

/** Queue the command instead of running it; prints the job id and how to follow it. */
export async function enqueueCommand(a: AppContext, cmd: Command): Promise<void> {
  const as = (cmd.opts<{ as?: string }>().as ?? undefined) as string | undefined;
  const actor = await a.actor(as);
  const { words, args } = jobArgsOf(cmd, actor.login);
  const command = commandOf(words);
  if (!(await (await a.store()).get(args.deploymentId))) {
    throw notFound(`no deployment ${args.deploymentId}`, { fix: 'list them with: mokodeploy list' });
  }
  if (command[0] === 'deploy' && !args.options['dry-run']) await checkDeployStart(a, args.deploymentId, actor.login);
  const pool = await openQueuePool(queueUrlOf(cmd), 1);
  try {
    const id = await enqueueJob(pool, { command, args, requestedBy: actor.login, requestedVia: 'cli' }, await a.storeSigner());
    const line = describeJob(command, args);
    a.out.result({ job: id, state: 'queued', command: line }, () => `queued job ${id}: ${line}\nfollow it: mokodeploy jobs ${id} --wait`);
  } finally {
    await pool.end();
  }
}
