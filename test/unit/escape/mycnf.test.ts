import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { optionValue, renderOptionFile } from '../../../src/escape/mycnf.js';
import { MokoError } from '../../../src/core/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'moko-mycnf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the MariaDB client reads from the file: my_print_defaults, the reader the clients use. */
function read(text: string): string[] {
  const file = join(dir, 'x.cnf');
  writeFileSync(file, text);
  return execFileSync('my_print_defaults', [`--defaults-file=${file}`, 'client'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l !== '');
}

describe('MariaDB option file escaper (checked with my_print_defaults)', () => {
  it('a newline in the user stays in the user: no init-command option appears', () => {
    const user = 'admin\ninit-command=DROP DATABASE mysql';
    // my_print_defaults prints the value's newline as is: an injected option would print as --init-command
    const lines = read(
      renderOptionFile('client', [
        ['user', user],
        ['password', 'p'],
      ]),
    );
    expect(lines).toEqual(['--user=admin', 'init-command=DROP DATABASE mysql', '--password=p']);
    expect(read(`[client]\nuser=${user}\n`)).toContain('--init-command=DROP DATABASE mysql'); // unescaped: injected
  });
  it('round-trips quotes, backslashes, #, ;, tabs, spaces and $', () => {
    for (const v of [`a"b\\c`, 'p#ss; x', ' lead and trail ', 'tab\there', "it's $(id) `x` %"])
      expect(read(renderOptionFile('client', [['password', v]]))).toEqual([`--password=${v}`]);
  });
  it('refuses a NUL (it would cut the line) and bad option names', () => {
    expect(() => optionValue('a\0b')).toThrow(MokoError);
    expect(() => renderOptionFile('client', [['user\nx', 'a']])).toThrow(MokoError);
  });
  it('never shows the value in its error (it is often a password)', () => {
    expect(() => optionValue('S3cret\0')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('S3cret') }),
    );
  });
});
