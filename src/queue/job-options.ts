import { Command } from 'commander';
import { inputError } from '../core/errors.js';
import type { JobArgs } from './job.js';

/** Options the queue sets itself (jobArgv does not forward them). */
const ownOptions = new Set(['queue', 'as']);

/**
 * A job's options typed against the command's own definitions in the program (commander's, not a hand-kept table),
 * so a row means what its argv will say: an option that takes a value needs a string (or strings, repeated), a flag
 * takes only `true` (`{address: true, 'dry-run': true}` would become `--address --dry-run`, and --address would
 * swallow `--dry-run` as its value: the run would not be a dry run), and a name the command does not have is refused.
 * Checked when a job is queued (enqueue.ts) and again by the worker before it runs the row (run-job.ts).
 */
export async function checkJobOptions(command: readonly string[], options: JobArgs['options']): Promise<void> {
  const cmd = await commandOf(command);
  const where = `job options of \`${command.join(' ')}\``;
  for (const [name, value] of Object.entries(options)) {
    if (ownOptions.has(name)) continue;
    const opt = cmd.options.find((o) => o.long === `--${name}`);
    if (!opt) throw inputError(`${where}: \`${command.join(' ')}\` has no option --${name}`, { where: `options.${name}`, fix: `see mokodeploy ${command.join(' ')} --help` });
    const takesValue = opt.required || opt.optional;
    const fine = takesValue
      ? typeof value === 'string' || Array.isArray(value) || (opt.optional && value === true)
      : value === true;
    if (!fine)
      throw inputError(
        `${where}: --${name} ${takesValue ? `takes a value (${opt.flags}), not ${JSON.stringify(value)}` : `is a flag: it takes only true, not ${JSON.stringify(value)}`}`,
        { where: `options.${name}`, fix: takesValue ? `give --${name} its value as a string` : `give --${name}: true, or leave it out` },
      );
  }
}

const cache = new Map<string, Promise<Command>>();

/** The command as the CLI's program defines it (its module registered on a program of its own, never run). */
function commandOf(words: readonly string[]): Promise<Command> {
  const key = words.join(' ');
  let found = cache.get(key);
  if (!found) {
    found = (async () => {
      const { modulesFor } = await import('../cli/commands/index.js');
      const program = new Command('mokodeploy');
      const noApp = () => {
        throw new Error('a command read for its options is never run');
      };
      for (const mod of await modulesFor(words)) mod.register(program, noApp);
      let cmd = program;
      for (const w of words) {
        const sub = cmd.commands.find((c) => c.name() === w);
        if (!sub) throw inputError(`\`${key}\` is not a command of this program`, { fix: 'queue a queueable command' });
        cmd = sub;
      }
      return cmd;
    })();
    cache.set(key, found);
    found.catch(() => cache.delete(key));
  }
  return found;
}
