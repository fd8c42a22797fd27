import type { DeploymentRecord, State } from '../core/record.js';
import type { EventKind, NotifyChange } from './message.js';

/** Who hears of an event: client contacts by role, or the deployment's team (plan.people). */
export type Audience = 'approver' | 'key-user' | 'it' | 'team';

export interface NotifyEvent {
  kind: EventKind;
  record: DeploymentRecord;
  audience: Audience[];
  /** Event-specific values for the template (the common ones come from the record, render-data.ts). */
  values: Record<string, string>;
}

const everyone: Audience[] = ['approver', 'key-user', 'it', 'team'];

const entered = (c: NotifyChange, state: State) =>
  c.after?.state === state && c.before?.state !== state;

/**
 * The policy's communication points, read off one audit entry and the record before and after it (pure):
 * "Communicate with client" (schedule), the two "Notify stakeholders" of "Rollback Procedures", go-live,
 * hypercare check-ins, handoff, sign-off. Anything else causes no message.
 */
export function eventsOf(c: NotifyChange): NotifyEvent[] {
  const r = c.after;
  if (!r) return [];
  const action = c.entry.action;
  const events: NotifyEvent[] = [];
  const add = (kind: EventKind, audience: Audience[], values: Record<string, string> = {}) =>
    events.push({ kind, record: r, audience, values });

  if (entered(c, 'scheduled')) add('window-scheduled', ['approver', 'team']);
  if (action === 'window-exception') {
    const x = r.windowExceptions?.at(-1);
    add('window-exception', ['approver', 'it', 'team'], {
      reason: x?.reason ?? '',
      exception: x?.emergency ? 'emergency' : `${x?.start ?? ''} - ${x?.end ?? ''}`,
    });
  }
  if (c.before?.state === 'scheduled' && (r.state === 'deploying' || r.state === 'verifying'))
    add('deployment-started', ['approver', 'it', 'team']);
  const lastRun = r.runs.at(-1);
  if (action === 'finish-run' && lastRun?.outcome === 'failed')
    add('deployment-finished', ['approver', 'it', 'team'], { outcome: 'failed', verification: lastRun.note ?? '' });
  if (action === 'record-verification' && c.before?.state === 'verifying')
    add('deployment-finished', ['approver', 'it', 'team'], {
      outcome: 'deployed',
      verification: verificationSummary(r),
    });
  if (action === 'rollback-decided') {
    const after = (c.entry.after ?? {}) as { trigger?: string; reason?: string };
    add('rollback-decided', everyone, { trigger: after.trigger ?? '', reason: after.reason ?? '' });
  }
  if (entered(c, 'rolled-back')) {
    const x = r.rollbacks.at(-1);
    add('rollback-completed', everyone, { trigger: x?.trigger ?? '', reason: x?.reason ?? '' });
  }
  if (entered(c, 'live')) add('go-live', everyone);
  if (action === 'support-checkin') add('hypercare-checkin', ['approver', 'key-user'], checkInValues(r));
  if (action === 'handoff-deliver') add('handoff-delivered', ['approver', 'key-user', 'it']);
  if (action === 'signoff' && newSignoff(c) === 'technical') add('signoff-requested', ['approver']);
  return events;
}

function verificationSummary(r: DeploymentRecord): string {
  const v = r.verifications.at(-1);
  if (!v) return '';
  const count = (s: string) => v.results.filter((x) => x.status === s).length;
  const failing = v.results.filter((x) => x.status === 'fail').map((x) => `${x.id}${x.observed ? ` (${x.observed})` : ''}`);
  return [
    `${v.passed ? 'passed' : 'FAILED'}: ${count('pass')} pass, ${count('warn')} warn, ${count('fail')} fail, ${count('skip')} skipped (${v.source})`,
    ...failing.map((f) => `failing: ${f}`),
  ].join('\n');
}

function checkInValues(r: DeploymentRecord): Record<string, string> {
  const s = r.support;
  const last = s?.checkIns.at(-1);
  const day = s && last ? Math.floor((Date.parse(last.at) - Date.parse(s.hypercareStart)) / 86_400_000) + 1 : 0;
  return { summary: last?.summary ?? '', day: String(day), hypercareDays: String(s?.hypercareDays ?? '') };
}

function newSignoff(c: NotifyChange): string | undefined {
  const n = c.before?.signoffs.length ?? 0;
  return c.after && c.after.signoffs.length > n ? c.after.signoffs.at(-1)?.kind : undefined;
}
