import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { outputTail, outputTailLines } from '../runner/output-tail.js';

/**
 * The last lines of the newest background deploy's output for a deployment (start-deploy.ts writes
 * `<home>/logs/deploy-<id>-<time>.log`), redacted: what the failing command said.
 */
export function lastDeployOutput(home: string, id: string, lines = outputTailLines): string[] {
  const dir = join(home, 'logs');
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.startsWith(`deploy-${id}-`) && n.endsWith('.log'));
  } catch {
    return [];
  }
  const newest = names.map((n) => ({ n, t: statSync(join(dir, n)).mtimeMs })).sort((a, b) => b.t - a.t)[0];
  if (!newest) return [];
  return outputTail(readFileSync(join(dir, newest.n), 'utf8'), lines);
}
