import type { Policy } from '../policy/types.js';
import type { DeploymentRecord, State } from '../core/record.js';
import type { Actor } from '../core/team.js';
import { evaluateGates } from '../core/gates.js';
import { gateAction } from './gate-actions.js';

/** One thing a person should do now, on one deployment. */
export interface WaitingItem {
  deploymentId: string;
  client: string;
  state: State;
  /** The deployment window's start (schedule, else the plan's), for ordering; none sorts last. */
  windowStart?: string;
  /** The window's timezone (the plan's), to show times as the client reads them. */
  timeZone: string;
  words: string;
  href: string;
}

/** The state a deployment moves to next in the normal course (not cancel or rollback). */
const forward: Partial<Record<State, State>> = {
  submitted: 'approved',
  approved: 'ready',
  ready: 'scheduled',
  scheduled: 'deploying',
  deploying: 'verifying',
  verifying: 'awaiting-signoff',
  'awaiting-signoff': 'live',
  live: 'closed',
  'rolled-back': 'approved',
};

/** What moves the record once its gates are closed, and the permission it takes. */
const moves: Partial<Record<State, { permission: string; words: string; href: string }>> = {
  draft: { permission: 'plan.submit', words: 'Submit the draft plan', href: '#act-submit' },
  submitted: { permission: 'plan.approve', words: 'Approve the plan', href: '#act-approve' },
  approved: { permission: 'deployment.ready', words: 'Mark it ready', href: '#act-ready' },
  ready: { permission: 'deployment.schedule', words: 'Schedule the window', href: '#act-schedule' },
  scheduled: { permission: 'deployment.execute', words: 'Deploy in the window', href: '#progress-title' },
  verifying: {
    permission: 'verification.run',
    words: 'Record a new verification (the last one did not pass)',
    href: '#verification-title',
  },
  'awaiting-signoff': {
    permission: 'signoff.go-live',
    words: 'Go live (hypercare starts)',
    href: '#act-go-live',
  },
  live: { permission: 'deployment.close', words: 'Close the deployment', href: '#act-close' },
  'rolled-back': { permission: 'plan.approve', words: 'Approve a new attempt', href: '#act-retry' },
};

export const windowStartOf = (r: DeploymentRecord): string | undefined =>
  r.schedule?.start ?? r.plan.window?.start;

/** Whether today's hypercare check-in (day n of the first week after go-live) is still to be recorded. */
export function checkInDueToday(r: DeploymentRecord, days: number, now: Date): number | undefined {
  if (r.state !== 'live' || !r.support) return undefined;
  const start = Date.parse(r.support.hypercareStart);
  const day = Math.floor((now.getTime() - start) / 86_400_000);
  if (day < 0 || day >= days) return undefined;
  const done = r.support.checkIns.some((c) => Math.floor((Date.parse(c.at) - start) / 86_400_000) === day);
  return done ? undefined : day + 1;
}

/**
 * Whether this person acts for the record in one of these roles: they hold the role and the plan names them
 * for it (plan.people), so two technical leads each see their own deployments.
 */
function actsAs(r: DeploymentRecord, user: Actor, roles: readonly string[]): boolean {
  const named = r.plan.people as Record<string, string>;
  return roles.some((role) => user.roles.includes(role as never) && named[role] === user.login);
}

function itemsOf(
  r: DeploymentRecord,
  user: Actor,
  policy: Policy,
  now: Date,
): Omit<WaitingItem, 'deploymentId' | 'client' | 'state' | 'windowStart' | 'timeZone'>[] {
  const out: { words: string; href: string }[] = [];
  const to = forward[r.state];
  const open = to ? evaluateGates(r, to, { policy, now }).open : [];
  for (const g of open) {
    const a = gateAction(policy, r, g);
    if (a.href && actsAs(r, user, [a.role])) out.push({ words: a.words, href: a.href });
  }
  const can = (permission: string) => actsAs(r, user, policy.permissions[permission] ?? []);
  const move = moves[r.state];
  const author = r.author === user.login || (r.revisedBy ?? []).includes(user.login);
  if (move && open.length === 0 && can(move.permission) && !(r.state === 'submitted' && author))
    out.push(move);
  const day = checkInDueToday(r, policy.support.dailyCheckInDays, now);
  if (day && can('support.record'))
    out.push({ words: `Record the hypercare check-in for day ${day}`, href: '#act-support-checkin' });
  if (r.state !== 'closed' && r.state !== 'cancelled' && can('issue.resolve'))
    for (const i of r.issues.filter((x) => !x.resolvedAt))
      out.push({ words: `Resolve issue #${i.id} (${i.severity}): ${i.title}`, href: '#issues-title' });
  return out.filter((o, i) => out.findIndex((p) => p.words === o.words) === i);
}

/** Everything waiting for this person across all clients, soonest window first. Pure. */
export function waitingFor(
  records: readonly DeploymentRecord[],
  user: Actor,
  policy: Policy,
  now: Date,
): WaitingItem[] {
  const items = records.flatMap((r) =>
    itemsOf(r, user, policy, now).map((i) => ({
      ...i,
      deploymentId: r.id,
      client: r.client,
      state: r.state,
      windowStart: windowStartOf(r),
      timeZone: r.plan.window?.timezone ?? 'UTC',
    })),
  );
  return items.sort(
    (a, b) =>
      (a.windowStart ?? '9999').localeCompare(b.windowStart ?? '9999') ||
      a.deploymentId.localeCompare(b.deploymentId),
  );
}
