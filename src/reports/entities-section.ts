import type { IsolationReport } from '../entities/isolation/types.js';
import type { HandoffData } from './handoff-data.js';
import { dl, esc, section, status, table } from './html.js';

/** The isolation results the engine recorded (issue 18): `facts.entityIsolation`, an IsolationReport. */
export const isolationOf = (d: HandoffData): IsolationReport | undefined =>
  d.record.facts.entityIsolation as IsolationReport | undefined;

/**
 * The handoff pack's "Entities and isolation" section (policy "Multi-Entity Deployment"): each entity with its
 * company, modules, branding and users, then the isolation evidence — every check, its channel (REST API or
 * Chromium), the entity that looked and the one whose data had to stay invisible. Absent for a single company.
 */
export function entitiesSection(d: HandoffData): string {
  const p = d.record.plan;
  if (p.entities.length === 0) return '';
  const entities = table(
    ['Entity', 'Label', 'Company', 'Currency / language', 'Modules', 'Branding', 'Users'],
    [...p.entities]
      .sort((a, b) => a.id - b.id)
      .map((e) => [
        e.id,
        e.label,
        e.company ? `${e.company.name} (${e.company.country})` : `${p.company.name} (${p.company.country})`,
        `${e.company?.currency ?? '-'} / ${e.language ?? '-'}`,
        e.modules.join(', ') || '-',
        [e.branding?.topMenuColor, e.branding?.logo?.replace(/^.*\//, '')].filter(Boolean).join(', ') || '-',
        e.users.map((u) => `${u.login} (${u.rights.join(', ') || 'no rights'})`).join('; ') || '-',
      ]),
  );
  const r = isolationOf(d);
  const evidence = r
    ? [
        dl([
          ['Checked at', r.at],
          ['Entities', r.entities.join(', ')],
          ['Result', `${r.checks.filter((c) => c.ok).length} of ${r.checks.length} checks passed`],
        ]),
        table(
          ['Channel', 'Entity', 'Other entity', 'Check', 'Result', 'Observed'],
          r.checks.map((c) => [
            c.channel,
            c.entity,
            c.other ?? '-',
            c.id,
            status(c.ok ? 'pass' : 'fail'),
            c.detail,
          ]),
        ),
      ].join('\n')
    : `<p>No isolation check is recorded yet: run it and record it (${esc('mokodeploy entities verify ' + d.record.id)}).</p>`;
  return section(
    'entities',
    'Entities and isolation',
    `${entities}\n<h3>Isolation evidence</h3>\n${evidence}`,
  );
}
