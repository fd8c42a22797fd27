import { closeSync, existsSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from '../core/secret.js';

/**
 * Live progress for a dashboard on another machine: the run journals a job writes on this worker
 * (`<home>/journals/<id>.jsonl`, and the engine's per-run journals under `<home>/journals/<id>.<scope>/`) are
 * tailed, and each new complete record is handed to `send` (the queue's events table). Only what this job appends
 * is sent: a resumed journal's earlier records were sent by the worker that wrote them.
 */
export interface JournalForward {
  stop(): Promise<void>;
}

type Send = (
  records: { source: string; record: Record<string, unknown> }[],
  offsets: Record<string, number>,
) => Promise<void>;

/**
 * `sent`: how far a worker that ran this job before got (its last records, written just before it died, are sent
 * now); any other journal is sent from its current end.
 */
export function forwardJournals(
  home: string,
  deploymentId: string,
  send: Send,
  sent: Record<string, number> = {},
  pollMs = 200,
): JournalForward {
  const dir = join(home, 'journals');
  const offsets = new Map<string, number>(
    journalFiles(dir, deploymentId).map((f) => [f, Math.min(sent[f] ?? Infinity, sizeOf(join(dir, f)))]),
  );
  const partial = new Map<string, string>();
  let sending = Promise.resolve();
  const poll = () => {
    const batch: { source: string; record: Record<string, unknown> }[] = [];
    const reached: Record<string, number> = {};
    for (const file of journalFiles(dir, deploymentId)) {
      const path = join(dir, file);
      const from = offsets.get(file) ?? 0;
      const size = sizeOf(path);
      if (size <= from) continue;
      offsets.set(file, size);
      const lines = ((partial.get(file) ?? '') + readRange(path, from, size)).split('\n');
      const rest = lines.pop() ?? '';
      partial.set(file, rest);
      reached[file] = size - Buffer.byteLength(rest);
      for (const line of lines) {
        if (line.trim() === '') continue;
        try {
          batch.push({ source: `journal:${file}`, record: JSON.parse(redact(line)) as Record<string, unknown> });
        } catch {
          /* a torn line is not a fact */
        }
      }
    }
    if (batch.length > 0) sending = sending.then(() => send(batch, reached)).catch(() => undefined);
  };
  const timer = setInterval(poll, pollMs);
  return {
    async stop() {
      clearInterval(timer);
      poll();
      await sending;
    },
  };
}

/** The journal files of one deployment, relative to the journals directory. */
function journalFiles(dir: string, id: string): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === `${id}.jsonl`) files.push(name);
    else if (name.startsWith(`${id}.`) && statSync(join(dir, name)).isDirectory()) {
      for (const run of readdirSync(join(dir, name))) if (run.endsWith('.jsonl')) files.push(`${name}/${run}`);
    }
  }
  return files.sort();
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function readRange(path: string, from: number, to: number): string {
  const buf = Buffer.alloc(to - from);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buf, 0, buf.length, from);
  } finally {
    closeSync(fd);
  }
  return buf.toString('utf8');
}
