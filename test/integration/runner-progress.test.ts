import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { quote } from '../../src/hosts/shell.js';

// real processes on a 2-core machine shared with other suites: generous time, never a retry
vi.setConfig({ testTimeout: 300_000 });

/** The reporter as a person sees it: on a real terminal (a pty from util-linux `script`) and through a pipe. */
const base = mkdtempSync(join(tmpdir(), 'moko-runner-progress-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const helper = (dir: string) => [
  process.execPath,
  '--import',
  'tsx',
  'test/helpers/runner-progress.ts',
  join(base, dir),
  join(base, `${dir}-store`),
];

describe('progress reporter', () => {
  it('on a terminal: the current step and its elapsed time redrawn in place, then one line per step', () => {
    const out = execFileSync('script', ['-qec', helper('tty').map(quote).join(' '), '/dev/null'], {
      encoding: 'utf8',
    });
    expect(out).toMatch(
      // eslint-disable-next-line no-control-regex -- the terminal escape is what is tested
      /\r\x1b\[2K▶ \[4\/6\] demo:link-config — Link the config into the release {2}\d+\.\ds \(total \d+\.\ds\) {2}\$ sleep/,
    );
    // eslint-disable-next-line no-control-regex -- the terminal escape is what is tested
    expect(out).toMatch(/\r\x1b\[2K✓ \[4\/6\] demo:link-config {2}\d+\.\ds\r?\n/);
    expect(out).toMatch(/deployment steps finished in \d+\.\ds/);
    expect(out).not.toMatch(/^\d{4}-\d\d-\d\dT/m); // no log-style lines on a terminal
  });

  it('through a pipe: plain timestamped lines, no control characters', () => {
    const out = execFileSync(helper('pipe')[0]!, helper('pipe').slice(1), { encoding: 'utf8' });
    expect(out).not.toContain('\x1b');
    expect(out).not.toContain('\r');
    expect(
      out
        .trimEnd()
        .split('\n')
        .every((l) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /.test(l)),
    ).toBe(true);
  });
});
