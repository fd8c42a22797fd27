import { describe, expect, it } from 'vitest';
import { buildBatch } from '../../../src/hosts/batch.js';
import type { RunResult } from '../../../src/hosts/host.js';

const ran = (stdout: string, durationMs = 100): RunResult => ({
  code: 0,
  stdout,
  stderr: '',
  timedOut: false,
  truncated: false,
  durationMs,
});
const nonceOf = (script: string) => /h='\\n(moko-[0-9a-f]+) %s\\n'/.exec(script)![1]!;
const section = (nonce: string, name: string, text: string) => `\n${nonce} ${name}\n${text}`;

describe('probe batch', () => {
  it('is one sh -s with the script on stdin, each command quoted under its own timeout', () => {
    const b = buildBatch(
      [
        { argv: ['php', '-r', 'echo "x";'], timeoutMs: 20_000 },
        { argv: ['stat', '--', "/srv/it's here"], timeoutMs: 1_500, cwd: '/tmp', env: { PATH: '/bin' } },
      ],
      true,
    );
    expect(b.command).toMatchObject({ argv: ['sh', '-s'], sudo: true, timeoutMs: 30_000 });
    const script = String(b.command.stdin);
    expect(script).toContain(`\ntimeout -k 2 20 php -r 'echo "x";' </dev/null >>0.o 2>>0.e & p0=$!\n`);
    expect(script).toContain(
      `\n(cd /tmp && export PATH=/bin && exec timeout -k 2 2 stat -- '/srv/it'\\''s here') </dev/null >>1.o 2>>1.e & p1=$!\n`,
    );
    expect(script).toContain('\nwait $p0; printf "$h%s" 0.c $? >0.c\nwait $p1;');
    expect(script).toMatch(/\nhead -q -c \d+ 0\.c 0\.o 0\.e 1\.c 1\.o 1\.e\n$/);
    expect(buildBatch([{ argv: ['id'], env: { LANG: 'C' } }], false).command.stdin).toContain(
      '\nLANG=C timeout -k 2 600 id </dev/null',
    );
  });

  it('refuses stdin (a secret stays out of the script) and asUser', () => {
    expect(() => buildBatch([{ argv: ['cat'], stdin: 'pw' }], false)).toThrow(/bug/);
    expect(() => buildBatch([{ argv: ['id'], asUser: 'www-data' }], false)).toThrow(/bug/);
  });

  it('splits the output back per command: codes, stderr, a cap, timeouts, a command that never ended', () => {
    const b = buildBatch(
      [
        { argv: ['a'], timeoutMs: 5_000 },
        { argv: ['b'], timeoutMs: 5_000, maxOutputBytes: 4 },
        { argv: ['c'], timeoutMs: 1_000 },
        { argv: ['d'], timeoutMs: 5_000 },
      ],
      false,
    );
    const n = nonceOf(String(b.command.stdin));
    const out =
      section(n, '0.c', '0') +
      section(n, '0.o', 'one\n') +
      section(n, '0.e', '') +
      section(n, '1.c', '3') +
      section(n, '1.o', '123456') +
      section(n, '1.e', 'oops\n') +
      section(n, '2.c', '124') +
      section(n, '2.o', '') +
      section(n, '2.e', '');
    const [a, bb, c, d] = b.parse(ran(out, 1_200));
    expect(a).toMatchObject({ code: 0, stdout: 'one\n', stderr: '', truncated: false, timedOut: false });
    expect(bb).toMatchObject({ code: 3, stdout: '1234', stderr: 'oops', truncated: true }); // both capped
    expect(c).toMatchObject({ code: null, timedOut: true });
    expect(d).toBeUndefined();
  });

  it('does not take a stray marker with another nonce for a section', () => {
    const b = buildBatch([{ argv: ['a'] }], false);
    const n = nonceOf(String(b.command.stdin));
    const out =
      section(n, '0.c', '0') + section(n, '0.o', '\nmoko-0000 0.e\nstill stdout') + section(n, '0.e', '');
    expect(b.parse(ran(out))[0]).toMatchObject({ stdout: '\nmoko-0000 0.e\nstill stdout', stderr: '' });
  });
});
