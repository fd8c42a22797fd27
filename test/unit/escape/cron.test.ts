import { describe, expect, it } from 'vitest';
import { cronCommand, cronComment, cronEnv, cronUser, cronWord } from '../../../src/escape/cron.js';
import { MokoError } from '../../../src/core/errors.js';

describe('cron escaper', () => {
  it('quotes each command word for the shell and writes % as \\%', () => {
    expect(cronCommand(['php', '/var/www/acme/tools/run.php', 'firstadmin'])).toBe(
      'php /var/www/acme/tools/run.php firstadmin',
    );
    expect(cronWord('a b;c')).toBe("'a b;c'");
    expect(cronWord('50%')).toBe('50\\%');
    expect(cronWord("it's $(id) `id`")).toBe("'it'\\''s $(id) `id`'");
  });
  it('refuses a newline anywhere (a second line would be a second job, maybe as root)', () => {
    expect(() => cronWord('/var/www\n* * * * * root touch /tmp/pwn')).toThrow(MokoError);
    expect(() => cronEnv('MOKODEPLOY_AS', 'tina\n* * * * * root id')).toThrow(MokoError);
    expect(() => cronComment('x\n* * * * * root id')).toThrow(MokoError);
  });
  it('user field: a POSIX user name only', () => {
    expect(cronUser('www-data')).toBe('www-data');
    for (const bad of ['root x', 'a;b', '-x', 'Root', '']) expect(() => cronUser(bad)).toThrow(MokoError);
  });
  it('environment lines: plain, or in the quote the value does not hold', () => {
    expect(cronEnv('HOME', '/root')).toBe('HOME=/root');
    expect(cronEnv('X', 'a b')).toBe("X='a b'");
    expect(cronEnv('X', "it's")).toBe('X="it\'s"');
    expect(() => cronEnv('X', `'"`)).toThrow(MokoError);
    expect(() => cronEnv('A B', 'x')).toThrow(MokoError);
  });
});
