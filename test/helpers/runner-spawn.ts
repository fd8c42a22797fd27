import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface ChildRun {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  /** Resolves with the first line whose type is `type` (e.g. "paused", "command"). */
  waitFor(type: string, match?: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Start test/helpers/runner-child.ts (the demo pipeline through the runner) in its own process. */
export function spawnRunner(root: string, storeDir: string, stamp: string, pause?: string): ChildRun {
  return spawnHelper('runner-child.ts', [root, storeDir, stamp, ...(pause ? [pause] : [])]);
}

/** Start a script of test/helpers with tsx; its stdout is JSON lines. */
export function spawnHelper(script: string, scriptArgs: string[]): ChildRun {
  const args = ['--import', 'tsx', fileURLToPath(new URL(`./${script}`, import.meta.url)), ...scriptArgs];
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  const waiters: {
    type: string;
    match?: (l: Record<string, unknown>) => boolean;
    resolve: (l: Record<string, unknown>) => void;
  }[] = [];
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  createInterface({ input: child.stdout! }).on('line', (text) => {
    const line = JSON.parse(text) as Record<string, unknown>;
    lines.push(line);
    for (const w of [...waiters]) {
      if (w.type === line.type && (!w.match || w.match(line))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  const waitFor = (type: string, match?: (line: Record<string, unknown>) => boolean) => {
    const seen = lines.find((l) => l.type === type && (!match || match(l)));
    if (seen) return Promise.resolve(seen);
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      waiters.push({ type, match, resolve });
      void exited.then(() => reject(new Error(`runner exited before "${type}"; stderr: ${stderr}`)));
    });
  };
  return { child, lines, waitFor, exited };
}
