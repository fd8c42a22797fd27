import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const childScript = fileURLToPath(new URL('./child.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * Start child.ts with its request; resolves once it is frozen at the pause event (or rejects when it exits first).
 * `until` instead resolves at the first event line it accepts, the child still running (kill -9 it mid-command).
 */
export function spawnPausedUpgrade(
  request: Record<string, unknown>,
  until: (line: Record<string, unknown>) => boolean = (line) => line.type === 'paused',
): Promise<{ pid: number; exited: Promise<NodeJS.Signals | null>; lines: Record<string, unknown>[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end(JSON.stringify(request));
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('close', (_code, signal) => resolve(signal)),
  );
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (text) => {
      const line = JSON.parse(text) as Record<string, unknown>;
      lines.push(line);
      if (until(line)) resolve({ pid: child.pid!, exited, lines });
    });
    void exited.then(() =>
      reject(
        new Error(`the upgrade child exited before its pause: ${stderr}\n${JSON.stringify(lines.slice(-3))}`),
      ),
    );
  });
}
