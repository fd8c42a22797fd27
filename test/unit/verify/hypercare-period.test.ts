import { describe, expect, it } from 'vitest';
import { hypercarePeriod, placeInPeriod, scheduleEnvironment } from '../../../src/verify/hypercare.js';

/** Issue 25: cron lines have no year; a scheduled run places itself in the hypercare period. */
describe('hypercare period', () => {
  const p = hypercarePeriod({ hypercareStart: '2026-12-06T10:00:00.000Z', hypercareDays: 14 }, 7);
  const at = (iso: string) => placeInPeriod(p, new Date(iso));

  it('runs inside, on the last check-in day it says so (the file goes), after or before it is a no-op', () => {
    expect(p.lastCheckIn.toISOString()).toBe('2026-12-13T00:00:00.000Z');
    expect(at('2026-12-07T07:00:00Z')).toBe('inside');
    expect(at('2026-12-13T07:00:00Z')).toBe('last-day');
    expect(at('2026-12-21T07:00:00Z')).toBe('after');
    expect(at('2027-12-07T07:00:00Z')).toBe('after'); // the same cron line next December
    expect(at('2026-12-05T07:00:00Z')).toBe('before');
  });

  it('the schedule carries every variable the CLI reads, as absolute paths', () => {
    const env = scheduleEnvironment({
      home: '/srv/moko/.mokodeploy',
      teamFile: '/srv/moko/team.yaml',
      secretKeyFile: '/root/.config/mokodeploy/secret.key',
      auditKeyFile: '/root/.config/mokodeploy/audit-signing.pem',
      env: { PATH: '/usr/local/bin:/usr/bin:/bin', MOKODEPLOY_POLICY: 'policy.yaml' },
    });
    expect(env).toMatchObject({
      MOKODEPLOY_HOME: '/srv/moko/.mokodeploy',
      MOKODEPLOY_TEAM: '/srv/moko/team.yaml',
      MOKODEPLOY_SECRET_KEY_FILE: '/root/.config/mokodeploy/secret.key',
      MOKODEPLOY_AUDIT_KEY_FILE: '/root/.config/mokodeploy/audit-signing.pem',
      PATH: '/usr/local/bin:/usr/bin:/bin',
    });
    expect(env.MOKODEPLOY_POLICY).toMatch(/^\/.*\/policy\.yaml$/);
  });
});
