import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { commandOf, describeJob, jobArgsSchema, jobArgv } from '../../../src/queue/job.js';
import { jobArgsOf } from '../../../src/cli/commands/worker-queue.js';

describe('a job is a CLI command as data', () => {
  it('builds the argv: command words, --as, options in a fixed order, then -- and the deployment id', () => {
    const args = { deploymentId: '-rf', as: 'tina', options: { 'only': 'php,tls', 'dry-run': true as const, log: ['/a', '/b'] } };
    expect(jobArgv(['hypercare', 'run'], args)).toEqual([
      'hypercare', 'run', '--as', 'tina', '--dry-run', '--log=/a', '--log=/b', '--only=php,tls', '--', '-rf',
    ]);
    expect(describeJob(['deploy'], { deploymentId: 'a b', as: 'tina', options: {} })).toBe('mokodeploy deploy --as tina -- "a b"');
  });

  it('refuses a global option (the worker sets home and store itself) and an option name that is not a flag', () => {
    for (const name of ['home', 'store', 'json', 'verbose']) {
      expect(jobArgsSchema.safeParse({ deploymentId: 'x', as: 'tina', options: { [name]: '/etc' } }).success).toBe(false);
    }
    expect(jobArgsSchema.safeParse({ deploymentId: 'x', as: 'tina', options: { '--home': '/x' } }).success).toBe(false);
    expect(jobArgsSchema.safeParse({ deploymentId: 'x', as: 'tina', options: {}, password: 's3cret' }).success).toBe(false);
  });

  it('only the queueable commands can be jobs', () => {
    expect(commandOf(['migrate', 'run'])).toEqual(['migrate', 'run']);
    expect(() => commandOf(['secret', 'get'])).toThrow(/cannot be queued/);
  });

  it('takes the options the person typed, not the defaults, nor --queue, from the parsed command', async () => {
    const program = new Command().exitOverride();
    let captured: ReturnType<typeof jobArgsOf> | undefined;
    program
      .command('verify <id>')
      .option('--as <login>')
      .option('--queue')
      .option('--loads <n>', 'loads', '10')
      .option('--log <file>', 'log', (v: string, p: string[] = []) => [...p, v])
      .option('--no-mail')
      .action((_id, _o, cmd: Command) => {
        captured = jobArgsOf(cmd, 'quinn');
      });
    await program.parseAsync(['node', 'x', 'verify', 'acme', '--queue', '--log', '/l1', '--log', '/l2', '--no-mail', '--as', 'quinn']);
    expect(captured).toEqual({
      words: ['verify'],
      args: { deploymentId: 'acme', as: 'quinn', options: { log: ['/l1', '/l2'], 'no-mail': true } },
    });
    // --queue and --as are not forwarded as options (the job has its own `as`)
    expect(jobArgv(['verify'], captured!.args)).toEqual(['verify', '--as', 'quinn', '--log=/l1', '--log=/l2', '--no-mail', '--', 'acme']);
  });
});
