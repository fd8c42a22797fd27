import { redact } from '../core/secret.js';

/**
 * What a job printed, kept while it still goes to the worker's own log: the last lines (for the job's row and
 * the dashboard) and the last `error:` line (the one-line reason a command failed). One job at a time per
 * worker process, so patching the process's streams for the job's length is safe.
 */
export interface OutputCapture {
  stop(): { tail: string; error: string | null };
}

export function captureOutput(keepLines = 40): OutputCapture {
  const lines: string[] = [];
  let error: string | null = null;
  let partial = '';
  const keep = (chunk: unknown) => {
    const text = partial + (typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      if (line.startsWith('error: ') || line.startsWith('internal error')) error = line;
    }
    if (lines.length > keepLines) lines.splice(0, lines.length - keepLines);
  };
  const originals = { out: process.stdout.write, err: process.stderr.write };
  const patch = (stream: NodeJS.WriteStream, original: typeof process.stdout.write) => {
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      keep(chunk);
      return (original as (...a: unknown[]) => boolean).call(stream, chunk, ...rest);
    }) as typeof process.stdout.write;
  };
  patch(process.stdout, originals.out);
  patch(process.stderr, originals.err);
  return {
    stop() {
      process.stdout.write = originals.out;
      process.stderr.write = originals.err;
      if (partial) lines.push(partial);
      return { tail: redact(lines.join('\n')), error: error ? redact(error) : null };
    },
  };
}
