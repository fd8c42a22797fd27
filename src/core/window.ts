import type { Policy } from '../policy/types.js';
import type { DeploymentRecord, WindowException } from './record.js';
import { refused } from './errors.js';
import { policyApplies } from './required-items.js';

/**
 * Policy "Phase 1: Schedule deployment window — outside business hours if possible".
 * Returns the warnings for a window; business hours are read in the window's time zone.
 */
export function businessHoursWarnings(
  policy: Policy,
  start: string,
  end: string,
  timezone: string,
): string[] {
  const { days, start: open, end: close } = policy.procedures.businessHours;
  const warnings: string[] = [];
  const step = 15 * 60_000;
  for (let t = Date.parse(start); t < Date.parse(end); t += step) {
    const { weekday, hhmm } = localParts(new Date(t), timezone);
    if (days.includes(weekday) && hhmm >= open && hhmm < close) {
      warnings.push(
        `the window ${start} - ${end} falls inside business hours (${open}-${close} ${timezone}); the policy asks for outside business hours if possible`,
      );
      break;
    }
  }
  return warnings;
}

/**
 * Policy "Phase 1: Preparation (1-2 days before)": a window already over is refused; one starting less than
 * `minNoticeHours` after now warns. Returns the refusal message (or nothing) and the warnings.
 */
export function scheduleProblems(
  policy: Policy,
  window: { start: string; end: string },
  now: Date,
): { refusal?: string; warnings: string[] } {
  if (Date.parse(window.end) <= now.getTime()) {
    return { refusal: `the window ${window.start} - ${window.end} is in the past (now ${now.toISOString()})`, warnings: [] };
  }
  const notice = (Date.parse(window.start) - now.getTime()) / 3_600_000;
  const min = policy.procedures.window.minNoticeHours;
  return notice < min
    ? {
        warnings: [
          `the window starts ${notice <= 0 ? 'now (it has begun)' : `in ${notice.toFixed(1)} h`}; the policy prepares ${min} h or more before (Phase 1: 1-2 days before)`,
        ],
      }
    : { warnings: [] };
}

/** What the engine is about to do to the target: `emergency` for a rollback on a critical trigger. */
export interface WindowAction {
  command: string;
  emergency?: boolean;
}

export type WindowDecision =
  | {
      allowed: true;
      via: 'window' | 'exception' | 'emergency' | 'not-applicable' | 'pre-deployment';
      note?: string;
    }
  | { allowed: false; message: string; fix: string };

const preDeployment: readonly string[] = ['draft', 'submitted', 'approved', 'ready'];

/** The exception in force at `now`, if any: a new window containing now, or a recent emergency. */
export function exceptionInForce(
  r: DeploymentRecord,
  policy: Policy,
  now: Date,
): WindowException | undefined {
  const t = now.getTime();
  const hours = policy.procedures.window.emergencyExceptionHours;
  return [...(r.windowExceptions ?? [])]
    .reverse()
    .find((e) =>
      e.emergency
        ? t >= Date.parse(e.at) && t <= Date.parse(e.at) + hours * 3_600_000
        : t >= Date.parse(e.start!) && t <= Date.parse(e.end!),
    );
}

/**
 * The one rule every command that changes a production target obeys (deploy, upgrade, a non-emergency
 * rollback, migrate): it runs inside the client-approved window, or under a recorded exception. Out of
 * the policy's scope (staging, internal, proof of concept) it is allowed and says so.
 */
export function windowDecision(
  r: DeploymentRecord,
  policy: Policy,
  now: Date,
  action: WindowAction,
): WindowDecision {
  const w = r.schedule;
  const at = now.toISOString();
  const tz = r.plan.window?.timezone ?? 'UTC';
  if (!policyApplies(policy, r.plan)) {
    const inside = w && now.getTime() >= Date.parse(w.start) && now.getTime() <= Date.parse(w.end);
    return {
      allowed: true,
      via: 'not-applicable',
      note: inside
        ? undefined
        : `not applicable (${r.environment}): ${action.command} outside the approved window (${w ? `${w.start} - ${w.end}` : 'none'}; now ${at})`,
    };
  }
  if (action.emergency) return { allowed: true, via: 'emergency' };
  // before it is scheduled a deployment has no window yet: what runs then is pre-deployment validation
  // (policy "Data Migration Validation — Sample data migrated successfully"), and the state machine keeps
  // deploy and upgrade out of those states anyway
  if (preDeployment.includes(r.state)) return { allowed: true, via: 'pre-deployment' };
  if (w && now.getTime() >= Date.parse(w.start) && now.getTime() <= Date.parse(w.end)) {
    return { allowed: true, via: 'window' };
  }
  const exception = exceptionInForce(r, policy, now);
  if (exception) {
    return {
      allowed: true,
      via: 'exception',
      note: `under the window exception recorded by ${exception.by} at ${exception.at} (${exception.emergency ? 'emergency' : `${exception.start} - ${exception.end}`}): ${exception.reason}`,
    };
  }
  return {
    allowed: false,
    message: w
      ? `${action.command} of ${r.id} is refused outside the approved window ${w.start} - ${w.end} (${tz}); now is ${at}`
      : `${action.command} of ${r.id} is refused: no deployment window is approved (now ${at})`,
    fix: w
      ? `wait for the window, or a deployment manager records an exception: mokodeploy window-exception ${r.id} --reason "..." (--start ISO --end ISO | --emergency)`
      : `a deployment manager schedules it: mokodeploy schedule ${r.id} --client-approved-by "Name"`,
  };
}

/** Policy "Rollback Procedures": a rollback on a critical trigger is an emergency; others keep to the window. */
export function rollbackIsEmergency(policy: Policy, trigger: string): boolean {
  return policy.rollback.triggers.some((t) => t.id === trigger && t.critical);
}

/** windowDecision as the engine commands use it: throws the refusal, returns a note to print (or nothing). */
export function assertInWindow(
  r: DeploymentRecord,
  policy: Policy,
  now: Date,
  action: WindowAction,
): string | undefined {
  const d = windowDecision(r, policy, now, action);
  if (!d.allowed) throw refused(d.message, { fix: d.fix });
  return d.note;
}

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function localParts(date: Date, timezone: string): { weekday: number; hhmm: string } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { weekday: weekdays.indexOf(get('weekday')), hhmm: `${get('hour')}:${get('minute')}` };
}
