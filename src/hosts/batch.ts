import { randomBytes } from 'node:crypto';
import type { Command, RunResult } from './host.js';
import { defaultMaxOutputBytes, defaultTimeoutMs } from './output.js';
import { quote, toShell } from './shell.js';

/**
 * Several read-only commands in one remote execution: a POSIX sh script, fed on stdin to
 * `sh -s`, runs each command in the background under its own `timeout`, its stdout and stderr
 * in files of a private temp dir, then prints them all with one `head` that caps each file.
 * One SSH channel, one sudo and one shell per target instead of one of each per command.
 *
 * Each file starts with a header line carrying a random nonce, so the output splits back into
 * per-command results without trusting byte counts. Commands with stdin or asUser are not
 * batchable (a secret stays out of the script; sudo -u needs its own process).
 */
export interface Batch {
  /** The command to run on the host: `sh -s` with the script on stdin. */
  command: Command;
  /** Split the batch's result back into one result per command (undefined: it never finished). */
  parse(result: RunResult): (RunResult | undefined)[];
}

export const batchable = (c: Command) => c.stdin === undefined && c.asUser === undefined;

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** One command's line: a background group writing its header, output, then its exit code. */
function jobLine(c: Command, i: number): string {
  const env = Object.entries(c.env ?? {}).map(([k, v]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`bug: environment variable name ${k}`);
    return `export ${k}=${quote(v)}; `;
  });
  const cd = c.cwd ? `cd ${quote(c.cwd)} && ` : '';
  const run = toShell(['timeout', '-k', '2', String(seconds(c.timeoutMs ?? defaultTimeoutMs)), ...c.argv]);
  return (
    `{ printf "$h" ${i}.o >"$d/${i}.o"; printf "$h" ${i}.e >"$d/${i}.e"; ${env.join('')}` +
    `${cd}${run} </dev/null >>"$d/${i}.o" 2>>"$d/${i}.e"; printf "$h%s" ${i}.c "$?" >"$d/${i}.c"; } &`
  );
}

export function buildBatch(commands: readonly Command[], sudo: boolean): Batch {
  for (const c of commands)
    if (!batchable(c)) throw new Error('bug: command with stdin or asUser in a batch');
  const nonce = `moko-${randomBytes(12).toString('hex')}`;
  const limit = Math.max(...commands.map((c) => c.maxOutputBytes ?? defaultMaxOutputBytes));
  const files = commands.flatMap((_, i) => [`${i}.c`, `${i}.o`, `${i}.e`]);
  const headerMax = `\n${nonce} ${commands.length}.c\n`.length;
  const script = [
    'd=$(mktemp -d) || exit 70',
    `trap 'rm -rf "$d"' EXIT`,
    "trap 'exit 143' HUP INT TERM",
    'cd "$d" || exit 70',
    `h='\\n${nonce} %s\\n'`,
    ...commands.map(jobLine),
    'wait',
    // one process prints every file, each cut at its header plus the limit plus one byte
    `head -q -c ${limit + headerMax + 1} ${files.join(' ')}`,
  ].join('\n');
  const longest = Math.max(...commands.map((c) => seconds(c.timeoutMs ?? defaultTimeoutMs)));
  return {
    command: {
      argv: ['sh', '-s'],
      stdin: `${script}\n`,
      sudo,
      timeoutMs: (longest + 10) * 1000,
      maxOutputBytes: files.length * (limit + headerMax + 1),
    },
    parse: (result) => splitBatch(result, commands, nonce),
  };
}

function splitBatch(
  result: RunResult,
  commands: readonly Command[],
  nonce: string,
): (RunResult | undefined)[] {
  const parts = new Map<string, string>();
  const marker = new RegExp(`\\n${nonce} (\\d+\\.[oec])\\n`, 'g');
  const found = [...result.stdout.matchAll(marker)];
  found.forEach((m, k) => {
    const end = k + 1 < found.length ? found[k + 1]!.index : result.stdout.length;
    parts.set(m[1]!, result.stdout.slice(m.index + m[0].length, end));
  });
  return commands.map((c, i) => {
    const codeText = parts.get(`${i}.c`);
    if (codeText === undefined) return undefined;
    const limit = c.maxOutputBytes ?? defaultMaxOutputBytes;
    const [stdout, outCut] = cap(parts.get(`${i}.o`) ?? '', limit);
    const [stderr, errCut] = cap(parts.get(`${i}.e`) ?? '', limit);
    const code = Number(codeText.trim());
    // timeout(1) exits 124 when it stopped the command, 137 when it had to KILL it
    const timedOut =
      (code === 124 || code === 137) && result.durationMs >= (c.timeoutMs ?? defaultTimeoutMs) - 50;
    return {
      code: timedOut ? null : code,
      stdout,
      stderr,
      timedOut,
      truncated: outCut || errCut,
      durationMs: result.durationMs,
    };
  });
}

function cap(text: string, limit: number): [string, boolean] {
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length > limit ? [bytes.subarray(0, limit).toString('utf8'), true] : [text, false];
}
