import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * Runs the built executable as a user would type it in the demo's scratch folder, prints the command
 * line (`$ mokodeploy …`) and its output as it comes, and returns the exit code and stdout.
 */
export const bin = resolve(import.meta.dirname, '../bin/mokodeploy.js');

export interface Cli {
  (args: string[], o?: { quiet?: boolean; expect?: number[] }): Promise<{ code: number; stdout: string }>;
  /** Seconds spent per command word (`deploy`, `verify`, …), for the summary. */
  seconds: Map<string, number>;
}

const bold = (s: string) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\x1b[1m${s}\x1b[0m` : s);

/** `shown` replaces long arguments (paths of the scratch folder) in the printed command line. */
export function demoCli(cwd: string, env: NodeJS.ProcessEnv, shown: (arg: string) => string): Cli {
  const seconds = new Map<string, number>();
  const run = (args: string[], o: { quiet?: boolean; expect?: number[] } = {}) =>
    new Promise<{ code: number; stdout: string }>((done, fail) => {
      const started = Date.now();
      const word = args.find((a) => !a.startsWith('-')) ?? '';
      if (!o.quiet) console.log(`\n${bold(`$ mokodeploy ${args.map(shown).join(' ')}`)}`);
      const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (!o.quiet) process.stdout.write(d);
      });
      child.stderr.on('data', (d: Buffer) => process.stderr.write(d));
      child.on('error', fail);
      child.on('close', (code) => {
        seconds.set(word, (seconds.get(word) ?? 0) + (Date.now() - started) / 1000);
        const c = code ?? -1;
        if (!(o.expect ?? [0]).includes(c))
          fail(new Error(`mokodeploy ${args[0]} ${args[1] ?? ''} exited with ${c}; the demo stops here`));
        else done({ code: c, stdout });
      });
    });
  return Object.assign(run, { seconds });
}
