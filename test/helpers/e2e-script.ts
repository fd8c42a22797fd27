/**
 * The frame every scripts/e2e-*.ts shares: its command-line values, the release's version from its file name, and
 * main() run to an exit code (an error escaping main is printed, a MokoError with its details, and exits 1).
 */

/** `--name VALUE` from the command line, or undefined when the option is absent. */
export function argValue(name: string, argv = process.argv): string | undefined {
  const i = argv.indexOf(name);
  return i > 0 ? argv[i + 1] : undefined;
}

/** X.Y.Z from a Dolibarr release's file name (…/dolibarr-X.Y.Z.tgz), or undefined. */
export function releaseVersion(path: string): string | undefined {
  return /dolibarr-(\d+\.\d+\.\d+)\.tgz$/.exec(path)?.[1];
}

/** What a script prints for an error: a MokoError's own description (what, where, details), anything else as is. */
export function describeError(e: unknown): unknown {
  return e instanceof Error && 'describe' in e && typeof e.describe === 'function' ? e.describe() : e;
}

/** Runs the script's main and exits with the code it returns (1 when it throws). */
export function runScript(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(describeError(e));
      process.exit(1);
    },
  );
}
