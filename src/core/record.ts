import type { Plan, RoleId } from './plan.js';
import type { ValidationReport } from '../checks/finding.js';

/** The deployment record: everything the policy asks us to keep about one deployment. */

export const states = [
  'draft',
  'submitted',
  'approved',
  'ready',
  'scheduled',
  'deploying',
  'verifying',
  'awaiting-signoff',
  'live',
  'closed',
  'rolled-back',
  'cancelled',
] as const;
export type State = (typeof states)[number];

export interface Stamp {
  by: string;
  role: RoleId;
  at: string;
}

export type Evidence =
  | { kind: 'text'; text: string }
  | { kind: 'file'; name: string; sha256: string; size: number }
  | { kind: 'link'; url: string }
  | { kind: 'validation'; validationIndex: number; worst: string }
  | { kind: 'verification'; verificationIndex: number; passed: boolean }
  | { kind: 'approval'; planHash: string; packageHash?: string }
  | { kind: 'backup'; path: string; sha256: string };

export interface ChecklistEntry {
  ticked: boolean;
  evidence: Evidence[];
  stamp?: Stamp;
  /** Every tick and un-tick, in order (policy: deployment checklists are audit records). */
  history: { action: 'tick' | 'untick'; by: string; at: string; note?: string }[];
}

export interface VerificationItemResult {
  id: string;
  status: 'pass' | 'fail' | 'warn' | 'skip';
  observed?: string;
  detail?: string;
}

export interface VerificationRun {
  at: string;
  by: string;
  source: 'automated' | 'manual';
  results: VerificationItemResult[];
  passed: boolean;
}

export interface IssueEntry {
  id: number;
  title: string;
  severity: 'critical' | 'major' | 'minor';
  openedBy: string;
  openedAt: string;
  resolvedBy?: string;
  resolvedAt?: string;
  resolution?: string;
}

export interface SignoffEntry {
  kind: 'technical' | 'go-live' | 'client';
  stamp: Stamp;
  /** For the client sign-off: the client's signatory. */
  signatory?: string;
  note?: string;
  evidence: Evidence[];
  /** For the client sign-off: each policy item confirmed (signoffs.kinds[client].items). */
  confirmations?: SignoffConfirmation[];
}

export interface TrainingEntry {
  id: number;
  session: string;
  plannedAt: string;
  heldAt?: string;
  durationHours?: number;
  /** Why a held session lasted outside the policy's range (policy "Training Sessions"). */
  durationReason?: string;
  attendees: string[];
  materials: string[];
}

export interface CheckInEntry {
  at: string;
  by: string;
  summary: string;
  source: 'manual' | 'scheduled-verification';
}

export interface RollbackEntry {
  at: string;
  by: string;
  trigger: string;
  reason: string;
  fromState: State;
  rootCause?: string;
  remediation?: string;
}

/** An exception to the approved window: a new window, or an emergency (policy "Phase 2: deployment window"). */
export interface WindowException {
  at: string;
  by: string;
  reason: string;
  emergency: boolean;
  start?: string;
  end?: string;
}

/** A document the tool generated for this deployment (report command), or one a person attached. */
export interface DocumentEntry {
  kind: 'handoff' | 'signoff' | 'deployment' | 'knowledge-base';
  at: string;
  by: string;
  evidence: Evidence[];
}

/** One confirmation of a client sign-off item: a named client signatory, or evidence, or both. */
export interface SignoffConfirmation {
  item: string;
  signatory?: string;
  evidence: Evidence[];
}

export interface LessonEntry {
  at: string;
  by: string;
  text: string;
  tags: string[];
}

export interface RunEntry {
  startedAt: string;
  finishedAt?: string;
  by: string;
  outcome: 'running' | 'succeeded' | 'failed' | 'recorded-manually' | 'abandoned';
  durationSeconds?: number;
  downtimeSeconds?: number;
  note?: string;
  evidence: Evidence[];
}

export interface TransitionEntry {
  from: State;
  to: State;
  by: string;
  role: RoleId;
  at: string;
  note?: string;
}

/** What `mokodeploy package` recorded: the package hash (sha256 of its manifest) and what it holds. */
export interface PackageEntry {
  hash: string;
  files: number;
  bytes: number;
  release: { file: string; sha256: string; version: string; fileCheck: PackageFileCheck };
  modules: { name: string; files: number; origin: string }[];
  data: { path: string; origin: string }[];
  config: string[];
  origins: { path: string; from: string; sha256: string }[];
  stamp: Stamp;
}

/** The release against Dolibarr's own htdocs/install/filelist-X.Y.Z.xml: counts and the first names. */
export interface PackageFileCheck {
  listed: number;
  missing: string[];
  changed: string[];
  added: string[];
  exception?: string;
}

export interface PackageException {
  releaseSha256: string;
  reason: string;
  findings: string[];
  stamp: Stamp;
}

export interface DeploymentRecord {
  id: string;
  client: string;
  kind: Plan['kind'];
  environment: Plan['environment'];
  state: State;
  policyVersion: string;
  plan: Plan;
  planHash: string;
  planFile?: string;
  author: string;
  /** Everyone who revised the plan (separation of duties: none of them approves it). */
  revisedBy?: string[];
  createdAt: string;
  /** The approval binds the plan's hash and, once built, the deployment package's hash (issue 22). */
  approval?: { stamp: Stamp; planHash: string; packageHash?: string };
  schedule?: { start: string; end: string; clientApprovedBy: string; stamp: Stamp; warnings: string[] };
  checklist: Record<string, ChecklistEntry>;
  validations: ValidationReport[];
  verifications: VerificationRun[];
  runs: RunEntry[];
  issues: IssueEntry[];
  signoffs: SignoffEntry[];
  trainings: TrainingEntry[];
  support?: { hypercareStart: string; hypercareDays: number; checkIns: CheckInEntry[]; feedback: string[] };
  handoff?: { deliveredAt: string; by: string; evidence: Evidence[] };
  satisfaction?: { score: number; by: string; at: string; comment?: string };
  rollbacks: RollbackEntry[];
  cancellation?: { by: string; at: string; reason: string };
  lessons: LessonEntry[];
  /** Exceptions to the approved window, recorded by a deployment manager. */
  windowExceptions?: WindowException[];
  /** Documents generated or attached: handoff pack, deployment report, knowledge-base update. */
  documents?: DocumentEntry[];
  /** The deployment package built for this plan (issue 22, src/package): its hash is what the approval covers. */
  package?: PackageEntry;
  /** Release file-list mismatches a deployment manager accepted, by release tarball sha256 (issue 22). */
  packageExceptions?: PackageException[];
  transitions: TransitionEntry[];
  /** Host, lock and install facts recorded by the engine (adopted install, release dir, versions). */
  facts: Record<string, unknown>;
}

export function isRunningState(state: State): boolean {
  return state === 'deploying' || state === 'verifying' || state === 'awaiting-signoff' || state === 'live';
}
