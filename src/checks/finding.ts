import type { Host } from '../hosts/host.js';
import type { Policy } from '../policy/types.js';
import type { Plan } from '../core/plan.js';
import type { Secret } from '../core/secret.js';
import type { ValidationOptions } from './options.js';
import type { ProbeRequest } from './probe.js';

export type FindingStatus = 'pass' | 'warn' | 'fail' | 'unknown';

/** The outcome of one environment-validation check, kept as evidence on the deployment. */
export interface Finding {
  checkId: string;
  title: string;
  status: FindingStatus;
  /** What was seen on the target, e.g. "PHP 8.2.7". */
  observed: string;
  /** What the policy asks, e.g. ">= 8.1". */
  threshold: string;
  /** Policy section id, e.g. "env.server.php". */
  policyRef: string;
  /** What to do when not passing. */
  remediation?: string;
  /** Why the status is unknown, or extra detail. */
  detail?: string;
}

export interface CheckContext {
  host: Host;
  policy: Policy;
  plan: Plan;
  now: Date;
  /** Where probes look when the Debian defaults do not fit (non-standard servers, tests). */
  options?: ValidationOptions;
  /** Reveals a secret the plan names (e.g. database.admin.password); absent when none is available. */
  secret?: (name: string) => Secret | undefined;
}

export interface Check {
  id: string;
  title: string;
  policyRef: string;
  /**
   * The read-only commands run() will ask (optional): the run gathers every check's into one
   * batch per target (src/checks/probe-batch.ts), so run() finds its answers already there.
   */
  probes?(ctx: CheckContext): ProbeRequest[];
  run(ctx: CheckContext): Promise<Finding[]>;
}

const rank: Record<FindingStatus, number> = { pass: 0, warn: 1, unknown: 2, fail: 3 };

export function worstStatus(findings: readonly Finding[]): FindingStatus {
  return findings.reduce<FindingStatus>((w, f) => (rank[f.status] > rank[w] ? f.status : w), 'pass');
}

/** One validation run of one target: the evidence attached to a deployment (policy env.*). */
export interface ValidationReport {
  target: string;
  startedAt: string;
  finishedAt: string;
  policyVersion: string;
  findings: Finding[];
  worst: FindingStatus;
}
