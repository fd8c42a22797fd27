import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MokoError } from '../../../src/core/errors.js';
import { systemdEnvironment, systemdExecLine, systemdValue } from '../../../src/escape/systemd.js';
import { renderSystemdService } from '../../../src/verify/hypercare.js';

const dir = mkdtempSync(join(tmpdir(), 'moko-systemd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** systemd's own parser: `systemd-analyze verify` reads the unit offline and names any setting it rejects. */
function verify(unit: string): string {
  const file = join(dir, 'mokodeploy-hypercare-acme.service');
  writeFileSync(file, unit);
  try {
    return execFileSync('systemd-analyze', ['verify', '--man=no', file], { encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    return String((e as { stderr?: string }).stderr ?? e);
  }
}

const schedule = {
  id: 'acme',
  start: new Date(0),
  days: 2,
  at: '08:00',
  env: { MOKODEPLOY_HOME: '/root/.mokodeploy' },
  user: 'root',
  log: '/var/log/h.log',
};

describe('systemd escaper (checked with systemd-analyze verify)', () => {
  it('writes % as %%, $ as $$ in Exec lines, and quotes words with spaces or quotes', () => {
    expect(systemdExecLine(['/bin/echo', 'a b', '50%', '$HOME', 'say "hi"'])).toBe(
      '/bin/echo "a b" "50%%" "$$HOME" "say \\"hi\\""',
    );
    expect(systemdEnvironment('X', '100% $y')).toBe('Environment="X=100%% $y"');
    expect(systemdValue('a%b')).toBe('a%%b');
  });
  it('refuses a newline anywhere (it would add a setting, e.g. a second ExecStart as root)', () => {
    expect(() => systemdExecLine(['x\nExecStartPre=/bin/touch /tmp/pwned'])).toThrow(MokoError);
    expect(() => systemdEnvironment('X', 'a\nUser=root')).toThrow(MokoError);
    expect(() => systemdValue('a\nb')).toThrow(MokoError);
  });
  it('the hypercare unit with hostile words still parses, with no rejected setting', () => {
    const argv = [
      process.execPath,
      '/usr/lib/mokodeploy/bin/mokodeploy',
      'hypercare',
      'run',
      'acme',
      '--as',
      `tina's 100% $(id) "x" \`id\` ; #`,
    ];
    const out = verify(renderSystemdService({ ...schedule, argv }));
    expect(out).not.toMatch(/Unbalanced quoting|Failed to resolve|bad unit file|Invalid|ignoring/i);
    const broken = verify(`[Service]\nType=oneshot\nExecStart=/bin/echo "a\n`);
    expect(broken).toMatch(/Unbalanced quoting|bad unit file|ignoring/i); // the check can fail
  });
});
