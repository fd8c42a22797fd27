import { describe, expect, it } from 'vitest';
import { fixFor, gradeHeaders, scoreOf } from '../../../src/verify/checks/headers-grade.js';
import { errorsSince, lineTime } from '../../../src/verify/checks/error-logs.js';
import { median, percentile } from '../../../src/verify/checks/page-load.js';
import { summarise } from '../../../src/verify/summary.js';
import { slowEntries } from '../../../src/verify/checks/queries.js';
import { criticalFailure } from '../../../src/verify/critical.js';
import {
  checkInDays,
  checkInSummary,
  renderCron,
  renderSystemdTimer,
} from '../../../src/verify/hypercare.js';
import { securityHeaders } from '../../../src/webserver/security-headers.js';
import { newRecord, policy } from '../../helpers/records.js';

const ours = Object.fromEntries(securityHeaders().map((h) => [h.name.toLowerCase(), h.value]));

describe('security header grading', () => {
  it('grades our own site A (90) with only the CSP script allowance as a warning', () => {
    const v = gradeHeaders(ours);
    expect(v.filter((x) => !x.ok).map((x) => [x.name, x.severity])).toEqual([
      ['Content-Security-Policy', 'warn'],
    ]);
    expect(scoreOf(v)).toEqual({ score: 90, grade: 'A' });
  });

  it('fails a missing or weak header and names the line to add', () => {
    const { 'strict-transport-security': _, ...noHsts } = ours;
    const v = gradeHeaders({ ...noHsts, 'referrer-policy': 'unsafe-url' });
    expect(v.find((x) => x.name === 'Strict-Transport-Security')).toMatchObject({
      ok: false,
      severity: 'fail',
      problem: 'missing',
    });
    expect(v.find((x) => x.name === 'Referrer-Policy')).toMatchObject({
      ok: false,
      problem: 'leaks full URLs to other sites',
    });
    expect(fixFor('Strict-Transport-Security', 'nginx')).toBe(
      'add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;',
    );
    expect(fixFor('Referrer-Policy', 'apache')).toBe(
      'Header always set Referrer-Policy "strict-origin-when-cross-origin"',
    );
    expect(gradeHeaders({ 'strict-transport-security': 'max-age=300' })[0]!.problem).toMatch(
      /below six months/,
    );
  });

  it('accepts X-Frame-Options when CSP has no frame-ancestors, and scores a response without any of them D (30)', () => {
    const v = gradeHeaders({ 'x-frame-options': 'DENY' });
    expect(v.find((x) => x.name.startsWith('frame-ancestors'))).toMatchObject({ ok: true });
    expect(scoreOf(gradeHeaders({}))).toEqual({ score: 30, grade: 'D' });
  });
});

describe('log scan', () => {
  it('reads nginx, PHP, Apache and dolibarr.log dates', () => {
    expect(lineTime('2026/11/27 10:07:39 [error] 1#1: boom')).toBe(Date.parse('2026-11-27T10:07:39Z'));
    expect(lineTime('[27-Nov-2026 10:07:39 UTC] PHP Fatal error: x')).toBe(
      Date.parse('2026-11-27T10:07:39Z'),
    );
    expect(lineTime('[Fri Nov 27 10:07:39.123 2026] [php:error] x')).toBe(Date.parse('2026-11-27T10:07:39Z'));
    expect(lineTime('2026-11-27 10:07:39 ERR 127.0.0.1 sql error')).toBe(Date.parse('2026-11-27T10:07:39Z'));
  });

  it('keeps errors since the run started, not expected denials or older lines', () => {
    const log = [
      '2026/11/27 09:00:00 [error] old',
      '2026/11/27 10:07:39 [error] access forbidden by rule, GET /conf/conf.php',
      '2026/11/27 10:08:00 [notice] fine',
      '2026/11/27 10:09:00 [crit] disk full',
      'PHP Fatal error: no date',
    ].join('\n');
    expect(errorsSince(log, Date.parse('2026-11-27T10:00:00Z'))).toEqual([
      '2026/11/27 10:09:00 [crit] disk full',
      'PHP Fatal error: no date',
    ]);
  });
});

describe('slow-query log', () => {
  it('counts the entries on the client database and the slowest time', () => {
    const log = [
      '# Time: 261127 10:00:00',
      '# User@Host: acme[acme] @ localhost [127.0.0.1]',
      '# Thread_id: 8  Schema: acme_crm  QC_hit: No',
      '# Query_time: 2.500000  Lock_time: 0.000000  Rows_sent: 1  Rows_examined: 90000',
      'SELECT * FROM llx_societe WHERE nom LIKE "%x%";',
      '# User@Host: other[other] @ localhost []',
      '# Thread_id: 9  Schema: other_db  QC_hit: No',
      '# Query_time: 9.000000  Lock_time: 0.000000',
      'SELECT 1;',
    ].join('\n');
    expect(slowEntries(log, 'acme_crm')).toEqual({ count: 1, worst: 2.5 });
    expect(slowEntries('', 'acme_crm')).toEqual({ count: 0, worst: 0 });
  });
});

describe('page-load statistics', () => {
  it('median and nearest-rank p95', () => {
    const xs = [10, 20, 30, 40, 50, 60, 70, 80, 90, 2000];
    expect(median(xs)).toBe(55);
    expect(percentile(xs, 95)).toBe(2000);
    expect(percentile([100, 200, 300], 95)).toBe(300);
  });
});

describe('results per policy item', () => {
  it('takes the worst status per item, joins what was seen, and marks unchecked items skip', () => {
    const items = summarise(policy, [
      { item: 'verify.login', check: 'login.http', status: 'pass', observed: 'ok' },
      {
        item: 'verify.login',
        check: 'login.browser',
        status: 'fail',
        observed: 'form came back',
        detail: 'wrong password',
      },
      { item: 'verify.headers', check: 'headers', status: 'warn', observed: 'grade A' },
    ]);
    expect(items.find((i) => i.id === 'verify.login')).toEqual({
      id: 'verify.login',
      status: 'fail',
      observed: '[login.http] ok; [login.browser] form came back',
      detail: '[login.browser] wrong password',
    });
    expect(items.find((i) => i.id === 'verify.headers')!.status).toBe('warn');
    expect(items.find((i) => i.id === 'verify.reports')).toMatchObject({
      status: 'skip',
      observed: 'not checked automatically',
    });
    expect(items).toHaveLength(21);
  });
});

describe('critical failure', () => {
  const r = newRecord();
  const failing = [{ id: 'verify.login', status: 'fail' as const, observed: 'x', detail: 'form came back' }];
  it('is critical for login/dashboard/workflows, in the window only between start and end', () => {
    expect(criticalFailure(r, failing, new Date('2026-12-05T21:00:00Z'))).toMatchObject({
      inWindow: true,
      reason: 'verification: verify.login failed (form came back)',
    });
    expect(criticalFailure(r, failing, new Date('2026-12-06T09:00:00Z'))!.inWindow).toBe(false);
    expect(
      criticalFailure(r, [{ id: 'verify.firewall', status: 'fail' }], new Date('2026-12-05T21:00:00Z')),
    ).toBeUndefined();
  });
});

describe('hypercare', () => {
  const s = {
    id: 'acme-2026-12',
    start: new Date('2026-12-30T15:00:00Z'),
    days: 7,
    at: '07:05',
    argv: [
      '/usr/bin/node',
      '/opt/moko/bin/mokodeploy.js',
      'hypercare',
      'run',
      'acme-2026-12',
      '--as',
      'tina',
    ],
    env: { MOKODEPLOY_HOME: '/srv/moko' },
    user: 'moko',
    log: '/srv/moko/hypercare.log',
  };
  it('runs on the seven days after go-live, across a month and year end', () => {
    expect(checkInDays(s.start, 7).map((d) => d.toISOString().slice(0, 10))).toEqual([
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
      '2027-01-03',
      '2027-01-04',
      '2027-01-05',
      '2027-01-06',
    ]);
  });
  it('renders cron lines and a systemd timer', () => {
    const cron = renderCron(s).split('\n');
    expect(cron).toContain(
      '5 7 31 12 * moko /usr/bin/node /opt/moko/bin/mokodeploy.js hypercare run acme-2026-12 --as tina >> /srv/moko/hypercare.log 2>&1',
    );
    expect(cron).toContain('MOKODEPLOY_HOME=/srv/moko');
    expect(renderSystemdTimer(s)).toContain('OnCalendar=2027-01-06 07:05:00 UTC');
  });
  it('summarises a run for the check-in', () => {
    const items = summarise(policy, [
      { item: 'verify.firewall', check: 'firewall', status: 'fail', observed: 'off', detail: 'enable ufw' },
    ]);
    expect(checkInSummary({ startedAt: '', durationMs: 1, checks: [], items, failing: [] })).toBe(
      'automated verification: 0 passed, 0 warnings, 1 failing, 20 not checked; failing: verify.firewall ([firewall] enable ufw)',
    );
  });
});
