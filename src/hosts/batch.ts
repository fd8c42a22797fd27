import { randomBytes } from 'node:crypto';
import type { Command, RunResult } from './host.js';
import { defaultMaxOutputBytes, defaultTimeoutMs } from './output.js';
import { quote, toShell } from './shell.js';

/**
 * Several read-only commands in one remote execution: a POSIX sh script, fed on stdin to
 * `sh -s`, runs each command at once in the background under its own `timeout`, its stdout and
 * stderr in files of a private temp dir, then prints them all with one `head` that caps each file.
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

/**
 * One command's lines: its header into both files, then the command itself in the background
 * under `timeout` (which kills its whole process group), environment as assignments (no env(1)).
 */
function jobLines(c: Command, i: number): string {
  const env = Object.entries(c.env ?? {}).map(([k, v]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`bug: environment variable name ${k}`);
    return `${k}=${quote(v)}`;
  });
  const timeout = ['timeout', '-k', '2', String(seconds(c.timeoutMs ?? defaultTimeoutMs))];
  const run = toShell([...timeout, ...c.argv]);
  const io = `</dev/null >>${i}.o 2>>${i}.e`;
  const job = c.cwd
    ? `(cd ${quote(c.cwd)} && ${env.map((e) => `export ${e} && `).join('')}exec ${run}) ${io}`
    : `${env.map((e) => `${e} `).join('')}${run} ${io}`;
  return `printf "$h" ${i}.o >${i}.o; printf "$h" ${i}.e >${i}.e\n${job} & p${i}=$!`;
}

export function buildBatch(commands: readonly Command[], sudo: boolean): Batch {
  for (const c of commands)
    if (!batchable(c)) throw new Error('bug: command with stdin or asUser in a batch');
  const nonce = `moko-${randomBytes(12).toString('hex')}`;
  const limit = Math.max(...commands.map((c) => c.maxOutputBytes ?? defaultMaxOutputBytes));
  const files = commands.flatMap((_, i) => [`${i}.c`, `${i}.o`, `${i}.e`]);
  const headerMax = `\n${nonce} ${commands.length}.c\n`.length;
  // Few processes: on a busy server every fork counts (one per command, plus mkdir, head, rm).
  const script = [
    // a fresh private directory: mkdir fails rather than follow anything already there
    `umask 077; d="\${TMPDIR:-/tmp}/${nonce}"; mkdir "$d" && cd "$d" || exit 70`,
    `trap 'cd /; rm -rf "$d"' EXIT`,
    "trap 'exit 143' HUP INT TERM",
    `h='\\n${nonce} %s\\n'`,
    ...commands.map(jobLines),
    ...commands.map((_, i) => `wait $p${i}; printf "$h%s" ${i}.c $? >${i}.c`),
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
