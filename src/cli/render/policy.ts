import type { Policy } from '../../policy/types.js';

/** A readable summary of the policy: every item with its id and section. */
export function describePolicy(p: Policy): string {
  const s = p.environment.server;
  const lines = [
    `${p.title} — version ${p.version}`,
    '',
    `Scope (${p.scope.section}): ${p.scope.appliesTo.map((k) => k.id).join(', ')}`,
    `  not applicable to: ${p.scope.environmentClasses
      .filter((c) => !c.policyApplies)
      .map((c) => c.label)
      .join('; ')}`,
    '',
    'Roles:',
    ...p.roles.map((r) => `  ${r.id.padEnd(24)} ${r.label}`),
    '',
    'Permissions:',
    ...Object.entries(p.permissions).map(([perm, roles]) => `  ${perm.padEnd(22)} ${roles.join(', ')}`),
    '',
    `Mandatory checklist (${p.checklist.section}):`,
    ...p.checklist.mandatory.map((i) => `  ${i.id.padEnd(24)} ${i.label} [${i.role}]`),
    '',
    `Environment (${p.environment.section}), validation valid ${p.environment.validationMaxAgeHours} h:`,
    `  PHP >= ${s.php.min}; MariaDB >= ${s.database.mariadb.min} or MySQL >= ${s.database.mysql.min} (${s.database.charset}/${s.database.collation})`,
    `  nginx >= ${s.webServer.nginx.min} or Apache >= ${s.webServer.apache.min}; TLS valid, warn ${s.tls.expiryWarningDays} days before expiry`,
    `  free disk >= ${s.diskFreeGb.min} GB; RAM >= ${s.memoryGb.min} GB`,
    ...p.environment.security.items.map((i) => `  ${i.id.padEnd(28)} ${i.label}`),
    ...p.environment.network.items.map((i) => `  ${i.id.padEnd(28)} ${i.label}`),
    '',
    `Customization review (${p.customizationReview.appliesWhen}):`,
    ...p.customizationReview.items.map((i) => `  ${i.id.padEnd(24)} ${i.label} [${i.role}]`),
    `Data migration validation (${p.dataMigrationValidation.appliesWhen}):`,
    ...p.dataMigrationValidation.items.map((i) => `  ${i.id.padEnd(24)} ${i.label} [${i.role}]`),
    '',
    `Verification (${p.verification.section}), pages < ${p.verification.pageLoadMaxSeconds} s:`,
    ...[...p.verification.functional, ...p.verification.security, ...p.verification.performance].map(
      (i) => `  ${i.id.padEnd(24)} ${i.label}${i.optional ? ' (optional)' : ''}`,
    ),
    '',
    `Handoff deliverables: ${p.handoff.deliverables.length}; training: ${p.training.sessions.map((t) => t.id).join(', ')}`,
    `Hypercare ${p.support.hypercareDays.min}-${p.support.hypercareDays.max} days, daily check-ins for ${p.support.dailyCheckInDays} days`,
    `Sign-offs: ${p.signoffs.kinds.map((k) => `${k.id} (${k.role})`).join(', ')}`,
    `Rollback triggers: ${p.rollback.triggers.map((t) => t.id).join(', ')}`,
    `Metrics: ${p.metrics.tracked.map((m) => `${m.id} (${m.unit})`).join(', ')}`,
    `Audit records: ${p.audit.recordKinds.map((k) => k.id).join(', ')}`,
  ];
  return lines.join('\n');
}
