import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/core/secret.js';
import { describeAction, describeCommand, describeWrite } from '../../src/runner/index.js';

describe('describeCommand: one printable line per command, never a secret', () => {
  it('quotes words like toShell', () => {
    expect(describeCommand({ argv: ['mysql', '-e', "SELECT 'x'"] })).toBe(`mysql -e 'SELECT '\\''x'\\'''`);
  });

  it('shows sudo, the user, the directory and environment names', () => {
    expect(
      describeCommand({
        argv: ['php', 'install.php'],
        asUser: 'www-data',
        cwd: '/var/www/a b',
        env: { LANG: 'C' },
      }),
    ).toBe("cd '/var/www/a b' && sudo -n -u www-data env LANG=C php install.php");
    expect(describeCommand({ argv: ['systemctl', 'reload', 'nginx'], sudo: true })).toBe(
      'sudo -n systemctl reload nginx',
    );
  });

  it('says that stdin is given without showing it, and hides a secret stdin entirely', () => {
    expect(describeCommand({ argv: ['mysql'], stdin: 'CREATE DATABASE x;' })).toBe(
      'mysql < (stdin, 18 bytes)',
    );
    expect(describeCommand({ argv: ['mysql'], stdin: new Secret('pw-abcdef-123') })).toBe(
      'mysql < (secret on stdin)',
    );
  });

  it('redacts a known secret that slipped into argv or env', () => {
    const s = new Secret('leaky-password-42');
    const text = describeCommand({ argv: ['echo', s.reveal()], env: { PW: s.reveal() } });
    expect(text).not.toContain('leaky-password-42');
    expect(text).toContain('[redacted]');
  });
});

describe('describeWrite', () => {
  it('shows path, mode, owner and size, never content', () => {
    expect(
      describeWrite({ path: '/etc/x.conf', content: 'abc', mode: 0o640, owner: 'root', group: 'www-data' }),
    ).toBe('write /etc/x.conf (mode 0640, root:www-data, 3 bytes)');
    expect(
      describeWrite({
        path: '/c/conf.php',
        content: new Secret('<?php $pass="zz-top-secret";'),
        mode: 0o440,
      }),
    ).toBe('write /c/conf.php (mode 0440, 28 bytes, secret)');
    expect(describeWrite({ path: '/a', content: Buffer.from([1, 2]) })).toBe(
      'write /a (default mode, 2 bytes)',
    );
  });

  it('describeAction dispatches on the kind', () => {
    expect(describeAction({ kind: 'run', description: 'd', command: { argv: ['true'] } })).toBe('true');
    expect(describeAction({ kind: 'write', description: 'd', file: { path: '/x', content: '' } })).toBe(
      'write /x (default mode, 0 bytes)',
    );
  });
});
