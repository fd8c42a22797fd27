import { metricsOf } from '../core/metrics.js';
import type { Policy } from '../policy/types.js';
import { architectureSvg } from './architecture-svg.js';
import { entitiesSection } from './entities-section.js';
import { packageSection } from './package-section.js';
import type { HandoffData } from './handoff-data.js';
import { dl, esc, page, raw, section, status, table } from './html.js';
import { describeConfigured, describeTelemetryOf, describeTested } from '../integrations/handoff-rows.js';
import {
  adminGuide,
  backupProcedure,
  troubleshooting,
  updateProcedure,
  userGuide,
  userManagement,
} from './procedures.js';

/**
 * The client handoff pack (policy "Client Handoff / Documentation Deliverables"): system and operational
 * documentation for one deployment, as one HTML document (printed to PDF by Chromium).
 */
const deliverableSection: Record<string, string> = {
  'deployment-summary': 'summary',
  'architecture-diagram': 'architecture',
  'server-specifications': 'server',
  'database-schema': 'schema',
  'custom-modules-doc': 'modules',
  'integration-doc': 'integrations',
  'admin-guide': 'admin-guide',
  'user-management': 'user-management',
  'backup-procedures': 'backup-procedures',
  'update-procedures': 'update-procedures',
  troubleshooting: 'troubleshooting',
  'support-contacts': 'support',
};

function contents(policy: Policy): string {
  const rows = policy.handoff.deliverables.map((d) => {
    const anchor = deliverableSection[d.id];
    return [
      d.group,
      anchor ? raw(`<a href="#${anchor}">${esc(d.label)}</a>`) : d.label,
      anchor ? 'in this pack' : 'delivered separately (training materials)',
    ];
  });
  return section('contents', 'Contents', table(['Group', 'Deliverable', 'Where'], rows));
}

function summary(d: HandoffData): string {
  const r = d.record;
  const m = metricsOf(r);
  const v = r.verifications.at(-1);
  const failing = v?.results.filter((x) => x.status === 'fail').map((x) => x.id) ?? [];
  return section(
    'summary',
    'Deployment summary',
    dl([
      ['Client', `${r.plan.clientName} (${r.client})`],
      ['Deployment', `${r.id} — ${r.kind}, ${r.environment}`],
      [
        'Dolibarr',
        `${r.plan.dolibarr.version}${r.plan.dolibarr.upgradeFrom ? ` (upgraded from ${r.plan.dolibarr.upgradeFrom})` : ''}`,
      ],
      ['Address', r.plan.site.url],
      ['State', r.state],
      ['Deployed', r.runs[0]?.startedAt ?? 'not yet'],
      ['Duration / downtime', `${m.durationMinutes ?? '-'} min / ${m.downtimeSeconds ?? '-'} s`],
      [
        'Last verification',
        v
          ? raw(
              `${esc(v.at)}: ${v.passed ? '<span class="pass">passed</span>' : `<span class="fail">failing: ${esc(failing.join(', '))}</span>`}`,
            )
          : 'none recorded',
      ],
      [
        'Sign-offs',
        r.signoffs.map((s) => `${s.kind} by ${s.stamp.by} (${s.stamp.at.slice(0, 10)})`).join('; ') ||
          'none yet',
      ],
      ['Policy version', r.policyVersion],
    ]),
  );
}

function server(d: HandoffData): string {
  const v = d.record.validations.at(-1);
  if (!v)
    return section(
      'server',
      'Server specifications',
      '<p class="muted">No environment validation on record: run mokodeploy validate.</p>',
    );
  return section(
    'server',
    'Server specifications',
    `<p>From the environment validation of ${esc(v.target)} at ${esc(v.finishedAt)} (overall: ${esc(v.worst)}).</p>` +
      table(
        ['Check', 'Observed', 'Policy asks', 'Status'],
        v.findings.map((f) => [f.title, f.observed, f.threshold, status(f.status)]),
      ),
  );
}

function schema(d: HandoffData): string {
  const s = d.schema;
  if (!s)
    return section(
      'schema',
      'Database schema',
      `<p class="fail">Could not read the live schema: ${esc(d.schemaError)}</p>`,
      { pageBreak: true },
    );
  const detailTables = [...new Set(s.columns.map((c) => c.table))];
  const details = detailTables
    .map(
      (t) =>
        `<h3>${esc(t)}</h3>` +
        table(
          ['Column', 'Type', 'Null', 'Key', 'Default'],
          s.columns
            .filter((c) => c.table === t)
            .map((c) => [c.name, c.type, c.nullable ? 'yes' : 'no', c.key, c.default]),
        ),
    )
    .join('\n');
  return section(
    'schema',
    'Database schema',
    [
      dl([
        ['Database', s.database],
        ['Server', s.server],
        ['Tables', s.tables.length],
        ['Rows (estimate)', s.tables.reduce((a, t) => a + t.rows, 0)],
      ]),
      '<p>Read from the live database (information_schema). Main tables in detail, then every table.</p>',
      details,
      '<h3>All tables</h3>',
      table(
        ['Table', 'Engine', 'Rows (est.)', 'Columns', 'Collation'],
        s.tables.map((t) => [t.name, t.engine, t.rows, t.columns, t.collation]),
      ),
    ].join('\n'),
    { pageBreak: true },
  );
}

function modules(d: HandoffData): string {
  const v = (a?: (string | number)[]) => (a ? a.join('.') : '-');
  const rows = d.modules.map((m) => [
    m.name,
    m.descriptor?.className ?? '(no descriptor found)',
    m.descriptor?.version ?? '-',
    m.descriptor?.numero ?? '-',
    v(m.descriptor?.phpmin),
    v(m.descriptor?.needDolibarrVersion),
    m.descriptor?.depends.join(', ') || '-',
    m.enabled === undefined ? '?' : m.enabled ? 'yes' : 'no',
    m.sha256 ? `${m.source} (sha256 ${m.sha256.slice(0, 12)}…)` : m.source,
  ]);
  return section(
    'modules',
    'Custom modules documentation',
    (d.modulesError ? `<p class="fail">${esc(d.modulesError)}</p>` : '') +
      table(
        [
          'Module',
          'Class',
          'Version',
          'Number',
          'PHP min',
          'Dolibarr min',
          'Depends on',
          'Enabled',
          'Source',
        ],
        rows,
        'No custom modules in this deployment.',
      ),
  );
}

function integrations(d: HandoffData): string {
  const p = d.record.plan;
  // issue 17: what each integration configures and what mokodeploy tested, when (src/integrations/handoff-rows.ts)
  const rows = p.integrations.map((i) => [
    i.id,
    i.kind,
    i.endpoint ?? '-',
    i.description ?? '-',
    describeConfigured(i, p),
    describeTested(d.record, i.id),
  ]);
  const telemetry = describeTelemetryOf(d.record); // issue 17: the first-ping setting
  if (telemetry) rows.push(['telemetry', 'setting', '-', '-', telemetry, 'set by integrations:telemetry']);
  if (p.email)
    rows.unshift([
      'email',
      'email',
      `smtp://${p.email.smtpHost}:${p.email.smtpPort}`,
      `outgoing mail from ${p.email.from}`,
      '-',
      '-',
    ]);
  return section(
    'integrations',
    'Integration documentation',
    table(
      ['Integration', 'Kind', 'Endpoint', 'Description', 'Configured', 'Tested'],
      rows,
      'No integrations.',
    ) +
      '<p>REST API (if enabled): <code>' +
      esc(`${p.site.url}/api/index.php/`) +
      '</code>, key per user (DOLAPIKEY header), created from the user card.</p>',
  );
}

function support(d: HandoffData, policy: Policy): string {
  const s = d.record.support;
  const hc = policy.support;
  return section(
    'support',
    'Support contact information',
    [
      table(
        ['Role', 'Name', 'Email', 'Phone'],
        d.contacts.map((c) => [c.role, c.name, c.email ?? '-', c.phone ?? '-']),
      ),
      `<p>Hypercare: ${hc.hypercareDays.min}-${hc.hypercareDays.max} days after go-live${s ? `, from ${esc(s.hypercareStart.slice(0, 10))} for ${s.hypercareDays} days` : ''}, with a daily check-in during the first ${hc.dailyCheckInDays} days (${esc(hc.activities.join(', ').toLowerCase())}).</p>`,
    ].join('\n'),
  );
}

export function renderHandoff(d: HandoffData, policy: Policy): string {
  const p = d.record.plan;
  const body = [
    contents(policy),
    summary(d),
    section('architecture', 'System architecture diagram', architectureSvg(p), { pageBreak: true }),
    server(d),
    schema(d),
    modules(d),
    packageSection(d), // issue 22
    integrations(d),
    entitiesSection(d), // issue 18: only for plans with entities
    adminGuide(p),
    userManagement(p),
    backupProcedure(d.record.id, p),
    updateProcedure(d.record.id, p),
    troubleshooting(d.record.id, p),
    userGuide(p),
    support(d, policy),
  ].join('\n');
  return page(
    `${p.clientName} — MokoCRM handoff pack`,
    `Deployment ${d.record.id} · Dolibarr ${p.dolibarr.version} · generated ${d.generatedAt}`,
    body,
  );
}
