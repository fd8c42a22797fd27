import { metricsOf } from '../core/metrics.js';
import type { DeploymentRecord } from '../core/record.js';
import type { Policy } from '../policy/types.js';
import { integrationReportRows } from '../integrations/handoff-rows.js';
import { dl, esc, page, section, status, table } from './html.js';

/**
 * The deployment report (policy "Deployment Sign-Off / Documentation: Deployment report completed" and
 * "Deployment Metrics"): timeline, runs, metrics, verification history, issues, rollback activity, hypercare,
 * lessons learned — all from the record.
 */
const hours = (a: string, b?: string) => (b ? ((Date.parse(b) - Date.parse(a)) / 3_600_000).toFixed(1) : '-');

export function renderDeploymentReport(r: DeploymentRecord, policy: Policy, now: Date): string {
  const m = metricsOf(r);
  const body = [
    section(
      'overview',
      'Overview',
      dl([
        ['Client', `${r.plan.clientName} (${r.client})`],
        ['Deployment', `${r.id} — ${r.kind}, ${r.environment}`],
        ['Dolibarr', r.plan.dolibarr.version],
        ['State', r.state],
        [
          'Planned window',
          r.plan.window
            ? `${r.plan.window.start} .. ${r.plan.window.end} (${r.plan.window.timezone})`
            : 'none',
        ],
        ['Author / approver', `${r.author} / ${r.approval?.stamp.by ?? '-'}`],
        [
          'Approved window',
          r.schedule ? `${r.schedule.start} .. ${r.schedule.end} (client: ${r.schedule.clientApprovedBy})` : 'none',
        ],
      ]),
    ),
    section(
      'window-exceptions',
      'Window exceptions',
      table(
        ['Recorded', 'By', 'Allowed', 'Reason'],
        (r.windowExceptions ?? []).map((e) => [
          e.at,
          e.by,
          e.emergency ? 'emergency' : `${e.start} .. ${e.end}`,
          e.reason,
        ]),
        'None: every change ran inside the approved window.',
      ),
    ),
    section(
      'metrics',
      'Metrics',
      table(
        ['Metric', 'Value'],
        [
          ['Deployment duration', m.durationMinutes === null ? '-' : `${m.durationMinutes} min`],
          ['Downtime', m.downtimeSeconds === null ? '-' : `${m.downtimeSeconds} s`],
          ['Issues (open)', `${m.issues} (${m.openIssues})`],
          [
            'Mean time to resolution',
            m.meanHoursToResolution === null ? '-' : `${m.meanHoursToResolution} h`,
          ],
          [
            'Client satisfaction',
            m.satisfaction === null
              ? '-'
              : `${m.satisfaction} (${policy.metrics.satisfactionScale.min}-${policy.metrics.satisfactionScale.max})`,
          ],
          ['Rollbacks', m.rollbacks],
        ],
      ),
    ),
    section(
      'timeline',
      'Timeline',
      table(
        ['When', 'From', 'To', 'By', 'Note'],
        r.transitions.map((t) => [t.at, t.from, t.to, `${t.by} (${t.role})`, t.note ?? '']),
      ),
    ),
    section(
      'runs',
      'Deployment runs',
      table(
        ['Started', 'Finished', 'Outcome', 'Duration', 'Downtime', 'Note'],
        r.runs.map((x) => [
          x.startedAt,
          x.finishedAt ?? '-',
          x.outcome,
          x.durationSeconds === undefined ? '-' : `${x.durationSeconds} s`,
          x.downtimeSeconds === undefined ? '-' : `${x.downtimeSeconds} s`,
          x.note ?? '',
        ]),
        'No run recorded.',
      ),
    ),
    section(
      'integrations',
      'Integrations',
      // issue 17: what each integration configured and what mokodeploy tested, when; the telemetry setting
      table(['Integration', 'Kind', 'Configured', 'Tested'], integrationReportRows(r), 'No integrations.'),
    ),
    section(
      'verification',
      'Verification',
      table(
        ['When', 'Source', 'By', 'Result', 'Failing items'],
        r.verifications.map((v) => [
          v.at,
          v.source,
          v.by,
          status(v.passed ? 'pass' : 'fail'),
          v.results
            .filter((x) => x.status === 'fail')
            .map((x) => x.id)
            .join(', ') || '-',
        ]),
        'No verification recorded.',
      ),
    ),
    section(
      'issues',
      'Issues',
      table(
        ['#', 'Title', 'Severity', 'Opened', 'Resolved', 'Hours', 'Resolution'],
        r.issues.map((i) => [
          i.id,
          i.title,
          i.severity,
          `${i.openedAt} by ${i.openedBy}`,
          i.resolvedAt ?? 'open',
          hours(i.openedAt, i.resolvedAt),
          i.resolution ?? '',
        ]),
        'No issues logged.',
      ),
    ),
    section(
      'rollbacks',
      'Rollback activity',
      table(
        ['When', 'By', 'Trigger', 'Reason', 'From state', 'Root cause', 'Remediation'],
        r.rollbacks.map((x) => [
          x.at,
          x.by,
          x.trigger,
          x.reason,
          x.fromState,
          x.rootCause ?? 'not documented yet',
          x.remediation ?? '-',
        ]),
        'No rollback.',
      ),
    ),
    section(
      'hypercare',
      'Hypercare',
      r.support
        ? `<p>From ${esc(r.support.hypercareStart)} for ${r.support.hypercareDays} days.</p>` +
            table(
              ['When', 'By', 'Source', 'Summary'],
              r.support.checkIns.map((c) => [c.at, c.by, c.source, c.summary]),
              'No check-in yet.',
            ) +
            (r.support.feedback.length
              ? `<h3>User feedback</h3><ul>${r.support.feedback.map((f) => `<li>${esc(f)}</li>`).join('')}</ul>`
              : '')
        : '<p class="muted">Hypercare starts at go-live.</p>',
    ),
    section(
      'lessons',
      'Lessons learned',
      table(
        ['When', 'By', 'Lesson', 'Tags'],
        r.lessons.map((l) => [l.at, l.by, l.text, l.tags.join(', ')]),
        'None recorded yet: mokodeploy lesson ' + r.id + ' "..."',
      ),
    ),
  ].join('\n');
  return page(
    `${r.plan.clientName} — deployment report`,
    `Deployment ${r.id} · generated ${now.toISOString()}`,
    body,
  );
}
