import { describe, expect, it } from 'vitest';
import { exitCodeFor, formatReport } from '../../../src/checks/format.js';
import type { FindingStatus, ValidationReport } from '../../../src/checks/finding.js';
import { compareVersions } from '../../../src/checks/result.js';
import { parseIniSize } from '../../../src/checks/php-memory.js';
import { maxPhpFor } from '../../../src/checks/dolibarr-php.js';
import { parseSshdT } from '../../../src/checks/ssh-config.js';

const report = (worst: FindingStatus): ValidationReport => ({
  target: 'srv',
  startedAt: 'a',
  finishedAt: 'b',
  policyVersion: '1',
  worst,
  findings: [
    {
      checkId: 'x',
      title: 'X',
      status: worst,
      observed: 'seen',
      threshold: 'wanted',
      policyRef: 'env.x',
      remediation: 'do it',
      detail: 'because',
    },
  ],
});

describe('validation output', () => {
  it('exit code by the worst finding: unknown is never a pass', () => {
    expect(exitCodeFor([report('pass')])).toBe(0);
    expect(exitCodeFor([report('warn')])).toBe(0);
    expect(exitCodeFor([report('warn')], { strict: true })).toBe(1);
    expect(exitCodeFor([report('fail')])).toBe(1);
    expect(exitCodeFor([report('unknown')])).toBe(1);
    expect(exitCodeFor([report('pass'), report('unknown')])).toBe(1);
  });

  it('table: colour only when asked, reason and fix under what does not pass', () => {
    const plain = formatReport(report('fail'));
    expect(plain).not.toContain('\x1b[');
    expect(plain).toContain('why: because');
    expect(plain).toContain('fix: do it');
    expect(formatReport(report('fail'), { color: true })).toContain('\x1b[31m');
    expect(formatReport(report('pass'))).not.toContain('fix:');
  });
});

describe('parsing helpers', () => {
  it('compares versions numerically', () => {
    expect(compareVersions('10.11.19-MariaDB', '10.4')).toBe(1);
    expect(compareVersions('8.0.0', '8.0')).toBe(0);
    expect(compareVersions('1.9', '1.18')).toBe(-1);
  });

  it('reads php.ini sizes', () => {
    expect(parseIniSize('128M')).toBe(128 * 1024 ** 2);
    expect(parseIniSize('-1')).toBe(Infinity);
    expect(parseIniSize('1G')).toBe(1024 ** 3);
    expect(parseIniSize('lots')).toBeNaN();
  });

  it('knows the highest PHP of the Dolibarr releases it read', () => {
    expect(maxPhpFor('22.0.2')).toBe('8.4');
    expect(maxPhpFor('19.0.4')).toBe('8.2');
    expect(maxPhpFor('21.0.0')).toBeUndefined();
  });

  it('parses sshd -T', () => {
    const m = parseSshdT(
      'port 22\npermitrootlogin without-password\nauthorizedkeysfile .ssh/authorized_keys .ssh/authorized_keys2\n',
    );
    expect(m.get('permitrootlogin')).toBe('without-password');
    expect(m.get('authorizedkeysfile')).toBe('.ssh/authorized_keys .ssh/authorized_keys2');
  });
});

describe('findings as evidence', () => {
  it('redact secrets seen on the target', async () => {
    const { Secret } = await import('../../../src/core/secret.js');
    const { finding } = await import('../../../src/checks/result.js');
    const s = new Secret('db-pass-7761x');
    const f = finding({ id: 'x', title: 'X', policyRef: 'env.x' }, 'fail', `saw ${s.reveal()}`, 't', {
      detail: `in ${s.reveal()}`,
    });
    expect(JSON.stringify(f)).not.toContain('db-pass-7761x');
    expect(f.observed).toBe('saw [redacted]');
  });
});
