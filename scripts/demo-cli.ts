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
  const warnings = repeatedWarnings();
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
      let errors = '';
      child.stderr.on('data', (d: Buffer) => {
        errors += d.toString();
        const cut = errors.lastIndexOf('\n') + 1;
        process.stderr.write(warnings.filter(errors.slice(0, cut)));
        errors = errors.slice(cut);
      });
      child.on('error', fail);
      child.on('close', (code) => {
        seconds.set(word, (seconds.get(word) ?? 0) + (Date.now() - started) / 1000);
        process.stderr.write(warnings.filter(errors) + warnings.skippedNote());
        const c = code ?? -1;
        if (!(o.expect ?? [0]).includes(c))
          fail(new Error(`mokodeploy ${args[0]} ${args[1] ?? ''} exited with ${c}; the demo stops here`));
        else done({ code: c, stdout });
      });
    });
  return Object.assign(run, { seconds });
}

/**
 * The gates reported not applicable on a staging plan come again at each transition (ready, deploy):
 * a warning line already shown is left out, and one line says how many were.
 */
function repeatedWarnings(): { filter(text: string): string; skippedNote(): string } {
  const shown = new Set<string>();
  let skipped = 0;
  return {
    filter(text) {
      return text
        .split(/(?<=\n)/)
        .filter((line) => {
          if (!line.startsWith('warning: ')) return true;
          if (shown.has(line)) return (skipped++, false);
          shown.add(line);
          return true;
        })
        .join('');
    },
    skippedNote() {
      const note = skipped ? `(${skipped} warnings as shown at an earlier stage, not repeated)\n` : '';
      skipped = 0;
      return note;
    },
  };
}
