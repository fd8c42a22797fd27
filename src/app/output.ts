import { redact } from '../core/secret.js';

/** Human or JSON output; every line passes through redact() (secrets never reach a terminal or log). */
export interface Output {
  readonly json: boolean;
  readonly colour: boolean;
  /** A line for people (suppressed in --json mode). */
  line(text?: string): void;
  /** The command's result: JSON in --json mode, else the human rendering. */
  result(data: unknown, human: () => string): void;
  warn(text: string): void;
  error(text: string): void;
}

export function createOutput(opts: {
  json: boolean;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
}): Output {
  const colour = Boolean(opts.stdout.isTTY) && !process.env.NO_COLOR;
  return {
    json: opts.json,
    colour,
    line(text = '') {
      if (!opts.json) opts.stdout.write(`${redact(text)}\n`);
    },
    result(data, human) {
      opts.stdout.write(`${redact(opts.json ? JSON.stringify(data, null, 2) : human())}\n`);
    },
    warn(text) {
      opts.stderr.write(`warning: ${redact(text)}\n`);
    },
    error(text) {
      opts.stderr.write(`${redact(text)}\n`);
    },
  };
}

/** A plain aligned table. */
export function renderTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [fmt(headers), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)].join('\n');
}
