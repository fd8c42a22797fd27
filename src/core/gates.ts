import type { Policy } from '../policy/types.js';
import type { DeploymentRecord, State } from './record.js';
import type { Finding, ValidationReport } from '../checks/finding.js';
import { policyApplies, requiredChecklistItems, requiredVerificationItems } from './required-items.js';

/**
 * Gates are pure functions of the record (no I/O). Each returns nothing when closed, or an
 * open gate naming the policy section and what closes it (DESIGN.md "The deployment record").
 */
export interface OpenGate {
  gate: string;
  section: string;
  message: string;
  fix: string;
}

export interface GateContext {
  policy: Policy;
  now: Date;
}

type Gate = (record: DeploymentRecord, ctx: GateContext) => OpenGate[];

const approvalCurrent: Gate = (r, { policy }) => {
  if (r.approval && r.approval.planHash === r.planHash) return [];
  return [
    {
      gate: 'plan-approved',
      section: policy.roles[0]!.section,
      message: r.approval
        ? 'the plan changed after it was approved: the approval does not cover this version'
        : 'the deployment plan is not approved',
      fix: `a deployment manager (not the author) runs: mokodeploy approve ${r.id}`,
    },
  ];
};

const checklistComplete: Gate = (r, { policy }) =>
  requiredChecklistItems(policy, r.plan)
    .filter((item) => {
      const entry = r.checklist[item.id];
      return !entry?.ticked || entry.evidence.length === 0;
    })
    .map((item) => ({
      gate: `checklist:${item.id}`,
      section: item.section,
      message: `checklist item "${item.label}" is not done`,
      fix:
        item.auto === 'validation'
          ? `run: mokodeploy validate ${r.id}`
          : `a ${item.role} runs: mokodeploy tick ${r.id} ${item.id} --evidence "..."`,
    }));

/** The newest validation must pass and be younger than the plan's (or the policy's) limit. */
export function validationMaxAgeHours(r: DeploymentRecord, policy: Policy): number {
  return r.plan.validation?.maxAgeHours ?? policy.environment.validationMaxAgeHours;
}

/**
 * The findings that keep the environment gate closed: failures and unknowns, and warnings on a requirement
 * the policy marks `warnBlocks` ("Server hardened per security standards", "Email server accessible").
 */
export function blockingFindings(report: ValidationReport, policy: Policy): Finding[] {
  const strict = new Set(
    [...policy.environment.security.items, ...policy.environment.network.items]
      .filter((i) => i.warnBlocks)
      .map((i) => i.id),
  );
  return report.findings.filter(
    (f) => f.status === 'fail' || f.status === 'unknown' || (f.status === 'warn' && strict.has(f.policyRef)),
  );
}

const validationFresh: Gate = (r, { policy, now }) => {
  const section = policy.environment.section;
  const latest = r.validations.at(-1);
  if (!latest) {
    return [
      {
        gate: 'validation',
        section,
        message: 'no environment validation recorded',
        fix: `run: mokodeploy validate ${r.id}`,
      },
    ];
  }
  const failing = blockingFindings(latest, policy);
  if (failing.length > 0) {
    return failing.map((f) => ({
      gate: `validation:${f.checkId}`,
      section: `${section} (${f.policyRef})`,
      message: `${f.title}: ${f.status} — observed ${f.observed}, required ${f.threshold}`,
      fix: f.remediation
        ? `${f.remediation}; then run: mokodeploy validate ${r.id}`
        : `fix it, then run: mokodeploy validate ${r.id}`,
    }));
  }
  const maxAge = validationMaxAgeHours(r, policy);
  const ageHours = (now.getTime() - Date.parse(latest.finishedAt)) / 3_600_000;
  if (ageHours > maxAge) {
    return [
      {
        gate: 'validation-fresh',
        section,
        message: `the environment validation is ${ageHours.toFixed(1)} h old; the limit is ${maxAge} h`,
        fix: `run again: mokodeploy validate ${r.id}`,
      },
    ];
  }
  return [];
};

const backupVerified: Gate = (r, { policy }) => {
  if (r.plan.kind !== 'upgrade') return [];
  const entry = r.checklist['backup-verified'];
  if (entry?.ticked && entry.evidence.some((e) => e.kind === 'backup')) return [];
  return [
    {
      gate: 'backup-verified',
      section: `${policy.procedures.section} / Phase 1: Backup production`,
      message: 'an upgrade needs a verified (test-restored) backup of production',
      fix: `run: mokodeploy backup ${r.id} (it test-restores the backup and ticks backup-verified)`,
    },
  ];
};

const windowScheduled: Gate = (r, { policy }) => {
  if (r.schedule) return [];
  return [
    {
      gate: 'window',
      section: `${policy.procedures.section} / Phase 1: Schedule deployment window`,
      message: 'no deployment window approved by the client',
      fix: `a deployment manager runs: mokodeploy schedule ${r.id} --client-approved-by "Name"`,
    },
  ];
};

const runSucceeded: Gate = (r, { policy }) => {
  const last = r.runs.at(-1);
  if (last && (last.outcome === 'succeeded' || last.outcome === 'recorded-manually')) return [];
  return [
    {
      gate: 'deployment-run',
      section: policy.procedures.section,
      message: 'no successful deployment run recorded',
      fix: `run: mokodeploy deploy ${r.id}`,
    },
  ];
};

const verificationRecorded: Gate = (r, { policy }) =>
  r.verifications.length > 0
    ? []
    : [
        {
          gate: 'verification',
          section: policy.verification.section,
          message: 'no post-deployment verification recorded',
          fix: `run: mokodeploy verify ${r.id}`,
        },
      ];

/**
 * Which required verification items the newest results do not show as passed. A `warn` passes only from the
 * automated checks (which judge against the policy themselves); a person recording by hand passes or fails.
 */
export function unpassedVerificationItems(r: DeploymentRecord, policy: Policy): string[] {
  const passed = new Set<string>();
  for (const run of r.verifications) {
    for (const res of run.results) {
      if (res.status === 'pass' || (res.status === 'warn' && run.source === 'automated')) passed.add(res.id);
      else passed.delete(res.id);
    }
  }
  return requiredVerificationItems(policy)
    .filter((i) => !passed.has(i.id))
    .map((i) => i.id);
}

const signoffsGiven: Gate = (r, { policy }) =>
  policy.signoffs.kinds
    .filter((k) => !r.signoffs.some((s) => s.kind === k.id))
    .map((k) => ({
      gate: `signoff:${k.id}`,
      section: `${policy.signoffs.section} / ${k.label}`,
      message: `${k.label} not given`,
      fix: `a ${k.role} runs: mokodeploy signoff ${r.id} ${k.id}`,
    }));

const hypercareDone: Gate = (r, { policy, now }) => {
  const open: OpenGate[] = [];
  const section = policy.support.section;
  if (!r.support)
    return [
      {
        gate: 'hypercare',
        section,
        message: 'hypercare has not started',
        fix: `go live first: mokodeploy golive ${r.id}`,
      },
    ];
  const days = (now.getTime() - Date.parse(r.support.hypercareStart)) / 86_400_000;
  if (days < r.support.hypercareDays) {
    open.push({
      gate: 'hypercare',
      section,
      message: `hypercare runs ${r.support.hypercareDays} days; ${days.toFixed(1)} have passed`,
      fix: `wait until ${new Date(Date.parse(r.support.hypercareStart) + r.support.hypercareDays * 86_400_000).toISOString()}`,
    });
  }
  const missing = missingCheckInDays(r.support, policy.support.dailyCheckInDays, now);
  if (missing.length > 0) {
    const start = Date.parse(r.support.hypercareStart);
    const day = (d: number) => `day ${d + 1} (${new Date(start + d * 86_400_000).toISOString().slice(0, 10)})`;
    open.push({
      gate: 'daily-check-ins',
      section,
      message: `no check-in on ${missing.map(day).join(', ')}: the first ${policy.support.dailyCheckInDays} days after go-live need one each`,
      fix: `record each day: mokodeploy support checkin ${r.id} --summary "..."`,
    });
  }
  return open;
};

/**
 * Policy "Support Transition — Daily check-ins first week": one check-in on each of the first `days` days after
 * go-live (day n = the n-th 24 hours from go-live); later check-ins do not count. Days not yet over are not due.
 */
export function missingCheckInDays(
  support: NonNullable<DeploymentRecord['support']>,
  days: number,
  now: Date,
): number[] {
  const start = Date.parse(support.hypercareStart);
  const covered = new Set(
    support.checkIns.map((c) => Math.floor((Date.parse(c.at) - start) / 86_400_000)).filter((d) => d >= 0 && d < days),
  );
  const due = Math.min(days, Math.floor((now.getTime() - start) / 86_400_000));
  return Array.from({ length: Math.max(0, due) }, (_, d) => d).filter((d) => !covered.has(d));
}

const closingRecords: Gate = (r, { policy }) => {
  const open: OpenGate[] = [];
  const unresolved = r.issues.filter((i) => !i.resolvedAt);
  if (unresolved.length > 0) {
    open.push({
      gate: 'issues-resolved',
      section: policy.support.section,
      message: `${unresolved.length} issue(s) still open: ${unresolved.map((i) => `#${i.id}`).join(', ')}`,
      fix: `resolve them: mokodeploy issue resolve ${r.id} N --resolution "..."`,
    });
  }
  if (!r.satisfaction) {
    open.push({
      gate: 'satisfaction',
      section: policy.metrics.section,
      message: 'no client satisfaction score',
      fix: `mokodeploy satisfaction ${r.id} SCORE`,
    });
  }
  for (const doc of policy.signoffs.closing) {
    if ((r.documents ?? []).some((d) => d.kind === documentKindOf[doc.id])) continue;
    open.push({
      gate: doc.id,
      section: policy.signoffs.section,
      message: `${doc.label}: not on record`,
      fix:
        doc.id === 'deployment-report'
          ? `generate it: mokodeploy report ${r.id} deployment --as <login>`
          : `record the update with a link or file: mokodeploy knowledge-base ${r.id} --link URL`,
    });
  }
  if (r.lessons.length === 0) {
    open.push({
      gate: 'lessons-learned',
      section: policy.signoffs.section,
      message: 'lessons learned are not documented',
      fix: `mokodeploy lesson ${r.id} "..."`,
    });
  }
  return open;
};

/** Policy closing items -> the document kind that proves them. */
const documentKindOf = { 'deployment-report': 'deployment', 'knowledge-base': 'knowledge-base' } as const;

const rootCauseDocumented: Gate = (r, { policy }) => {
  const last = r.rollbacks.at(-1);
  if (last?.rootCause) return [];
  return [
    {
      gate: 'root-cause',
      section: `${policy.rollback.section} / Post-Rollback Analysis`,
      message: 'the root cause of the rollback is not documented',
      fix: `mokodeploy rollback-analysis ${r.id} --root-cause "..." --remediation "..."`,
    },
  ];
};

/** Gates guarding entry into each state. */
const gatesInto: Partial<Record<State, Gate[]>> = {
  ready: [approvalCurrent, checklistComplete, validationFresh, backupVerified],
  scheduled: [approvalCurrent, windowScheduled],
  deploying: [approvalCurrent, checklistComplete, validationFresh, backupVerified, windowScheduled],
  verifying: [runSucceeded],
  'awaiting-signoff': [verificationRecorded],
  live: [signoffsGiven],
  closed: [hypercareDone, closingRecords],
};

/** Gates that only the running-state `approved` re-entry after a rollback needs. */
const gatesAfterRollback: Gate[] = [rootCauseDocumented, approvalCurrent];

export interface GateReport {
  open: OpenGate[];
  /** Open gates that do not block because the policy does not apply to this environment class. */
  notApplicable: OpenGate[];
}

export function evaluateGates(record: DeploymentRecord, to: State, ctx: GateContext): GateReport {
  const gates =
    record.state === 'rolled-back' && to === 'approved' ? gatesAfterRollback : (gatesInto[to] ?? []);
  const open = gates.flatMap((g) => g(record, ctx));
  // Policy "Scope": staging, internal and proof-of-concept targets are out of scope. The same
  // gates run and are reported as not applicable, never silently skipped. Sign-offs stay.
  if (!policyApplies(ctx.policy, record.plan)) {
    const blocking = open.filter((g) => g.gate.startsWith('signoff:') || g.gate === 'deployment-run');
    return { open: blocking, notApplicable: open.filter((g) => !blocking.includes(g)) };
  }
  return { open, notApplicable: [] };
}
