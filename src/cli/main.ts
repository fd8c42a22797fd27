import { Command, CommanderError } from 'commander';
import { createApp, type AppContext } from '../app/context.js';
import { MokoError } from '../core/errors.js';
import { redact } from '../core/secret.js';
import { modulesFor } from './commands/index.js';

/**
 * The one top-level handler (STYLE.md 7): expected failures print what, where and how to
 * fix in one block and exit non-zero; anything else is labelled a bug (stack with --verbose).
 */
export async function main(
  argv: string[],
  /** `now`: a fixed clock, for tests only (test/helpers/clock-bin.mjs); the shipped bin never passes one. */
  opts: { env?: NodeJS.ProcessEnv; now?: () => Date } = {},
): Promise<number> {
  const program = new Command('mokodeploy')
    .description(
      'MokoCRM client deployments under the policy: records, gates, validation, install, verification, audit',
    )
    .option('--json', 'machine-readable output')
    .option('--home <dir>', 'store directory (default: $MOKODEPLOY_HOME or ./.mokodeploy)')
    .option(
      '--store <url>',
      'the store: postgres://USER@HOST:PORT/DB (password by PGPASSWORD or ~/.pgpass) or sqlite:PATH (default: $MOKODEPLOY_STORE, else the SQLite file in the home)',
    )
    .option(
      '--evidence-store <location>',
      'where evidence files live: s3://BUCKET/PREFIX?endpoint=URL&region=R (keys by AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or an AWS profile) or a directory (default: $MOKODEPLOY_EVIDENCE, else <home>/evidence)',
    )
    .option('--verbose', 'show stack traces of internal errors')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  let app: AppContext | undefined;
  const getApp = (): AppContext => {
    if (!app) {
      const g = program.opts<{ json?: boolean; home?: string; store?: string; evidenceStore?: string }>();
      app = createApp({ json: g.json, home: g.home, store: g.store, evidence: g.evidenceStore, env: opts.env, now: opts.now });
    }
    return app;
  };
  for (const mod of await modulesFor(argv.slice(2))) mod.register(program, getApp);
  program.showSuggestionAfterError();

  try {
    await program.parseAsync(withoutHelpAfterUnknown(program, argv));
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    return handleError(e, program.opts<{ verbose?: boolean }>().verbose ?? false);
  } finally {
    await app?.close();
  }
}

/**
 * `mokodeploy import --help` must fail like `mokodeploy import` (exit 2, closest command suggested), not print
 * the parent's help: when a command word names no command, the help flags are dropped so commander reports it.
 */
function withoutHelpAfterUnknown(program: Command, argv: string[]): string[] {
  let cmd = program;
  const args = argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (cmd === program && ['--home', '--store', '--evidence-store'].includes(a)) i++; // its value is not a command word
    if (a.startsWith('-')) continue;
    if (cmd.commands.length === 0 || a === 'help') return argv;
    const sub = cmd.commands.find((c) => c.name() === a || c.aliases().includes(a));
    if (!sub) return argv.filter((x, j) => j < 2 || (x !== '--help' && x !== '-h'));
    cmd = sub;
  }
  return argv;
}

function handleError(e: unknown, verbose: boolean): number {
  if (e instanceof CommanderError) {
    // commander already printed its message (unknown option, missing argument, --help)
    return e.exitCode === 0 ? 0 : 2;
  }
  if (e instanceof MokoError) {
    process.stderr.write(`error: ${redact(e.describe())}\n`);
    return e.exitCode;
  }
  const err = e as Error;
  process.stderr.write(
    `internal error (a bug in mokodeploy, please report it): ${redact(err?.message ?? String(e))}\n`,
  );
  if (verbose && err?.stack) process.stderr.write(`${redact(err.stack)}\n`);
  return 70;
}
