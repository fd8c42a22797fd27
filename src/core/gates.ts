import type { Policy } from '../policy/types.js';
import type { DeploymentRecord, State } from './record.js';
import type { Finding, ValidationReport } from '../checks/finding.js';
import { policyApplies, requiredChecklistItems, requiredVerificationItems } from './required-items.js';
import { closingRecords, hypercareDone, rootCauseDocumented } from './gates-aftercare.js';

export { missingCheckInDays } from './gates-aftercare.js';

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

export type Gate = (record: DeploymentRecord, ctx: GateContext) => OpenGate[];

const approvalCurrent: Gate = (r, { policy }) => {
  const packageCovered = !r.package || r.approval?.packageHash === r.package.hash; // issue 22
  if (r.approval && r.approval.planHash === r.planHash && packageCovered) return [];
  return [
    {
      gate: 'plan-approved',
      section: policy.roles[0]!.section,
      message: !r.approval
        ? 'the deployment plan is not approved'
        : r.approval.planHash !== r.planHash
          ? 'the plan changed after it was approved: the approval does not cover this version'
          : `the deployment package changed after it was approved: ${r.package!.hash.slice(0, 12)} is not the approved ${r.approval.packageHash?.slice(0, 12) ?? '(none)'}`,
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
