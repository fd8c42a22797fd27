import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { workspace } from '../helpers/cli.js';
import { planInput, allVerificationResults } from '../helpers/records.js';
import { loadPolicy } from '../../src/policy/load.js';

const policy = loadPolicy();
const at = (day: number, hour = 10) => new Date(Date.UTC(2026, 11, 1 + day, hour)).toISOString();

describe('walking a deployment from plan to closed with the real executable', () => {
  it('a staging deployment: every step in order, out-of-order steps refused with what to do', () => {
    const ws = workspace();
    const id = 'acme-2026-12';
    ws.writePlan('plan.yaml', planInput({ environment: 'staging' }));
    const ok = (args: string[], day = 0) => {
      const r = ws.run(args, { MOKODEPLOY_CLOCK: at(day) });
      expect(r.stderr.replace(/^warning: .*\n/gm, ''), `${args.join(' ')}\n${r.stderr}`).toBe('');
      expect(r.code, args.join(' ')).toBe(0);
      return r;
    };
    const refusedWith = (args: string[], pattern: RegExp, day = 0) => {
      const r = ws.run(args, { MOKODEPLOY_CLOCK: at(day) });
      expect(r.code, `${args.join(' ')} should be refused`).not.toBe(0);
      expect(r.stderr).toMatch(pattern);
    };

    ok(['plan', 'submit', 'plan.yaml', '--as', 'tina']);
    refusedWith(
      ['ready', id, '--as', 'tina'],
      /it cannot move to ready[\s\S]*can move to: approved, cancelled/,
    );
    refusedWith(['approve', id, '--as', 'tina'], /needs the role deployment-manager/);
    ok(['approve', id, '--as', 'dave']);
    const ready = ws.run(['ready', id, '--as', 'tina'], { MOKODEPLOY_CLOCK: at(0) });
    expect(ready.code).toBe(0);
    expect(ready.stderr).toContain('not applicable (staging)');
    refusedWith(['deploy-nothing', id], /unknown command/);
    refusedWith(
      [
        'run-record',
        id,
        '--as',
        'tina',
        '--started',
        at(3, 20),
        '--finished',
        at(3, 22),
        '--evidence',
        'console log',
      ],
      /is ready; it cannot move to deploying/,
    );
    // the window the run below falls in, before the day-4 clock that records it (issue 16: record-run checks both)
    ok(['schedule', id, '--as', 'dave', '--client-approved-by', 'Jane Client', '--start', at(3, 20), '--end', at(3, 23)]);
    refusedWith(['signoff', id, 'technical', '--as', 'tina'], /sign-offs are given while awaiting sign-off/);
    ok(
      [
        'run-record',
        id,
        '--as',
        'tina',
        '--started',
        at(3, 20),
        '--finished',
        at(3, 22),
        '--downtime',
        '30',
        '--evidence',
        'console log',
      ],
      4,
    );
    writeFileSync(join(ws.dir, 'results.yaml'), stringify(allVerificationResults()));
    ok(['verification-record', id, join(ws.dir, 'results.yaml'), '--as', 'quinn'], 4);
    ok(['signoff', id, 'technical', '--as', 'tina'], 4);
    refusedWith(['golive', id, '--as', 'dave'], /signoff:go-live/, 4);
    ok(['signoff', id, 'go-live', '--as', 'dave'], 4);
    refusedWith(
      ['signoff', id, 'client', '--as', 'carla', '--signatory', 'Jane'],
      /handoff pack is not delivered/,
      4,
    );
    writeFileSync(join(ws.dir, 'handoff.pdf'), '%PDF-1.4\n% the handoff pack\n'); // a PDF (issue 16)
    ok(['handoff-deliver', id, '--as', 'carla', '--file', join(ws.dir, 'handoff.pdf')], 4);
    ok(['training', 'plan', id, 'admin', '--as', 'carla', '--at', at(5)], 4);
    ok(
      [
        'training',
        'held',
        id,
        '1',
        '--as',
        'carla',
        '--at',
        at(5),
        '--hours',
        '3',
        '--attendees',
        'Jane,Joe',
      ],
      5,
    );
    ok(['training', 'plan', id, 'user', '--as', 'carla', '--at', at(5)], 5);
    ok(
      ['training', 'held', id, '2', '--as', 'carla', '--at', at(5), '--hours', '1.5', '--attendees', 'Joe'],
      5,
    );
    // policy "Client Sign-Off": each item confirmed explicitly (issue 16)
    const confirm = policy.signoffs.kinds.find((k) => k.id === 'client')!.items!.flatMap((i) => ['--confirm', i.id]);
    ok(['signoff', id, 'client', '--as', 'carla', '--signatory', 'Jane Client, CEO', ...confirm], 5);
    ok(['golive', id, '--as', 'dave'], 5);
    ok(['issue', 'open', id, 'export is slow', '--as', 'quinn'], 5);
    // staging is outside the policy's scope: the closing gates are reported, as not applicable
    const early = JSON.parse(ws.run(['--json', 'status', id], { MOKODEPLOY_CLOCK: at(6) }).stdout);
    const closing = early.next.find((n: { to: string }) => n.to === 'closed');
    expect(closing.open).toEqual([]);
    expect(closing.notApplicable.map((g: { gate: string }) => g.gate)).toEqual([
      'hypercare',
      'daily-check-ins',
      'issues-resolved',
      'satisfaction',
      'deployment-report',
      'knowledge-base',
      'lessons-learned',
    ]);
    for (let d = 5; d < 5 + policy.support.dailyCheckInDays; d++) {
      ok(['support', 'checkin', id, '--as', 'carla', '--summary', `day ${d}: all good`], d);
      // resolved on day 6, in order: time in the audit trail never goes back (issue 12)
      if (d === 6) ok(['issue', 'resolve', id, '1', '--as', 'tina', '--resolution', 'added an index'], 6);
    }
    ok(['satisfaction', id, '5', '--as', 'carla'], 12);
    ok(['lesson', id, 'index the export tables before go-live', '--as', 'tina', '--tags', 'performance'], 12);
    ok(['close', id, '--as', 'dave'], 5 + policy.support.hypercareDays.min + 1);

    const show = JSON.parse(ws.run(['--json', 'show', id]).stdout);
    expect(show.state).toBe('closed');
    expect(show.policyVersion).toBe(policy.version);
    expect(show.handoff.evidence[0].sha256).toMatch(/^[a-f0-9]{64}$/);
    const metrics = JSON.parse(ws.run(['--json', 'metrics']).stdout);
    expect(metrics.deployments[0]).toMatchObject({
      id,
      durationMinutes: 120,
      downtimeSeconds: 30,
      issues: 1,
      satisfaction: 5,
      meanHoursToResolution: 24,
    });
    expect(metrics.months[0].month).toBe('2026-12');
    const review = JSON.parse(ws.run(['--json', 'review', '2026-12']).stdout);
    expect(review.lessons[0].text).toContain('index the export tables');
    // the quarter's review as a document: its trends as charts (issue 16 "Reviews")
    const written = ws.run(['review', '2026-Q4', '--html', join(ws.dir, 'reviews')]);
    expect(written.stdout).toContain(`written: ${join(ws.dir, 'reviews', 'review-2026-Q4.html')}`);
    const doc = readFileSync(join(ws.dir, 'reviews', 'review-2026-Q4.html'), 'utf8');
    expect(doc.split('<figure class="chart">')).toHaveLength(7);
    expect(doc).toContain('aria-label="Deployments: 2026-10: 0 count, 2026-11: 0 count, 2026-12: 1 count"');
    expect(doc).toContain('aria-label="Mean deployment duration: 2026-10: none, 2026-11: none, 2026-12: 120 min"');
    expect(ws.run(['lessons', 'export index']).stdout).toContain(id);
    const audit = ws.run(['audit', 'verify']);
    expect(audit.code).toBe(0);
    expect(audit.stdout).toMatch(/audit trail intact: \d+ entries/);
  });

  it('a production deployment cannot become ready without a passing validation', () => {
    const ws = workspace();
    ws.writePlan('plan.yaml', planInput());
    expect(ws.run(['plan', 'submit', 'plan.yaml', '--as', 'tina']).code).toBe(0);
    expect(ws.run(['approve', 'acme-2026-12', '--as', 'dave']).code).toBe(0);
    const r = ws.run(['ready', 'acme-2026-12', '--as', 'tina']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(
      '[validation] no environment validation recorded (policy: Pre-Deployment Requirements / Environment Validation) -> run: mokodeploy validate acme-2026-12',
    );
    const status = JSON.parse(ws.run(['--json', 'status', 'acme-2026-12']).stdout);
    expect(status.next.find((n: { to: string }) => n.to === 'ready').open.length).toBe(10);
  });

  it('init writes a plan that validates and a team file', () => {
    const ws = workspace();
    const r = ws.run(['init', 'globex']);
    expect(r.code).toBe(0);
    expect(ws.run(['plan', 'check', 'plans/globex.yaml']).stdout).toContain('valid plan for globex');
    expect(ws.run(['init', 'globex']).stderr).toContain('plans/globex.yaml exists');
  });

  it('policy show prints the policy, --json all of it', () => {
    const ws = workspace();
    expect(ws.run(['policy', 'show']).stdout).toContain('PHP >= 8.1; MariaDB >= 10.4 or MySQL >= 8.0');
    const json = JSON.parse(ws.run(['--json', 'policy', 'show']).stdout);
    expect(json.checklist.mandatory).toHaveLength(10);
  });
});

describe('deployment window', () => {
  it('submitting a plan whose window falls in business hours warns', () => {
    const ws = workspace();
    ws.writePlan(
      'plan.yaml',
      planInput({
        window: {
          start: '2026-12-07T10:00:00+01:00',
          end: '2026-12-07T12:00:00+01:00',
          timezone: 'Europe/Paris',
        },
      }),
    );
    // the CLI's clock before the window (a Monday), so the test reads the same whatever day it runs
    const r = ws.run(['plan', 'submit', 'plan.yaml', '--as', 'tina'], { MOKODEPLOY_CLOCK: at(0) });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'warning: the window 2026-12-07T10:00:00+01:00 - 2026-12-07T12:00:00+01:00 falls inside business hours (08:00-18:00 Europe/Paris)',
    );
  });
});
