import { spawn } from 'node:child_process';
import { expect, it } from 'vitest';

/**
 * Issue 20, the CI smoke of the store bench (bench/store.ts): 1 and 4 writer processes for 2 s on SQLite and on
 * PostgreSQL; every run must leave an intact audit chain with one entry per operation (exit 1 otherwise).
 */
it('bench store: writers on both stores, the chain intact after each run', async () => {
  const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [
      '--import',
      'tsx',
      'bench/store.ts',
      '--writers',
      '1,4',
      '--seconds',
      '2',
    ]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  console.log(r.stdout);
  expect(r.code, r.stderr.slice(-2000)).toBe(0);
  for (const store of ['sqlite', 'postgres'])
    for (const writers of [1, 4])
      expect(r.stdout).toMatch(new RegExp(`^${store}\\s+${writers}\\s+[1-9]\\d*\\s.*intact \\(\\d+\\)`, 'm'));
}, 300_000);
