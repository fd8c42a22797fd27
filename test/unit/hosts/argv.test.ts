import { describe, expect, it } from 'vitest';
import { effectiveArgv, sudoWantsPassword } from '../../../src/hosts/argv.js';
import { writeFileCommand, writeFileScript } from '../../../src/hosts/file-ops.js';
import { Secret } from '../../../src/core/secret.js';

describe('effective argv', () => {
  it('adds sudo -n only when it changes the user', () => {
    expect(effectiveArgv({ argv: ['id'], sudo: true }, 'deploy', false)).toEqual(['sudo', '-n', '--', 'id']);
    expect(effectiveArgv({ argv: ['id'], sudo: true }, 'root', false)).toEqual(['id']);
    expect(effectiveArgv({ argv: ['id'], asUser: 'www-data' }, 'root', false)).toEqual([
      'sudo',
      '-n',
      '-u',
      'www-data',
      '--',
      'id',
    ]);
    expect(effectiveArgv({ argv: ['id'], asUser: 'www-data' }, 'www-data', false)).toEqual(['id']);
  });

  it('passes env through env(1) when sudo or SSH would drop it', () => {
    expect(effectiveArgv({ argv: ['php', 'x'], env: { A: '1' }, sudo: true }, 'deploy', false)).toEqual([
      'sudo',
      '-n',
      '--',
      'env',
      'A=1',
      'php',
      'x',
    ]);
    expect(effectiveArgv({ argv: ['php'], env: { A: '1' } }, 'deploy', true)).toEqual(['env', 'A=1', 'php']);
    expect(effectiveArgv({ argv: ['php'], env: { A: '1' } }, 'deploy', false)).toEqual(['php']);
  });

  it('recognises sudo asking for a password', () => {
    expect(sudoWantsPassword('sudo: a password is required\n')).toBe(true);
    expect(sudoWantsPassword('permission denied')).toBe(false);
  });

  it('writes files without the content in argv', () => {
    const c = writeFileCommand(
      {
        path: '/etc/x/conf.php',
        content: new Secret('very-secret-42'),
        mode: 0o440,
        owner: 'root',
        group: 'www-data',
      },
      true,
    );
    expect(c.argv.join(' ')).not.toContain('very-secret-42');
    // a constant script; the paths, mode and owner are positional parameters (issue 12)
    expect(c.argv.slice(0, 4)).toEqual(['sh', '-c', writeFileScript, 'write-file']);
    expect(c.argv[4]).toMatch(/^\/etc\/x\/\.conf\.php\.moko-[0-9a-f]{12}$/);
    expect(c.argv.slice(5)).toEqual(['0440', 'root:www-data', '/etc/x/conf.php']);
    expect(c.sudo).toBe(true);
  });
});
