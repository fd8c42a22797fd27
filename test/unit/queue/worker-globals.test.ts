import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { jobGlobalArgs } from '../../../src/cli/commands/worker.js';

/** `mokodeploy worker --evidence-store X` hands X to every job it runs (before, only --home and --store went). */
describe("a worker's own options reach its jobs", () => {
  it('home, store and evidence store, each read back by a program as its own option', () => {
    const args = jobGlobalArgs('/srv/moko home', { store: 'postgres://moko@db/moko', evidenceStore: 's3://bucket/p?region=x' });
    expect(args).toEqual(['--home=/srv/moko home', '--store=postgres://moko@db/moko', '--evidence-store=s3://bucket/p?region=x']);
    const program = new Command('mokodeploy')
      .option('--home <dir>')
      .option('--store <url>')
      .option('--evidence-store <location>')
      .exitOverride();
    program.command('verify <id>').action(() => undefined);
    program.parse(['node', 'mokodeploy', ...args, 'verify', '--', 'x']);
    expect(program.opts()).toEqual({ home: '/srv/moko home', store: 'postgres://moko@db/moko', evidenceStore: 's3://bucket/p?region=x' });
  });

  it('nothing the worker was not given', () => {
    expect(jobGlobalArgs('/h', {})).toEqual(['--home=/h']);
  });
});
