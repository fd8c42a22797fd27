import { resolve } from 'node:path';
import { cronCommand, cronComment, cronEnv, cronUser, cronWord } from '../escape/cron.js';
import { systemdEnvironment, systemdExecLine, systemdValue } from '../escape/systemd.js';
import type { VerificationOutcome } from './run.js';

/**
 * Policy "Support Transition": hypercare with daily check-ins in the first week. A check-in here is a
 * scheduled verification run whose summary is kept on the deployment (source 'scheduled-verification');
 * the schedule is a cron file or a systemd timer with one run per day of the check-in period.
 */
export function checkInSummary(o: VerificationOutcome): string {
  const count = (s: string) => o.items.filter((i) => i.status === s).length;
  const failing = o.items
    .filter((i) => i.status === 'fail')
    .map((i) => `${i.id} (${(i.detail ?? i.observed ?? '').slice(0, 120)})`);
  const head = `automated verification: ${count('pass')} passed, ${count('warn')} warnings, ${count('fail')} failing, ${count('skip')} not checked`;
  return failing.length ? `${head}; failing: ${failing.join('; ')}` : head;
}

export interface ScheduleInput {
  id: string;
  /** First day of hypercare (UTC date of go-live). */
  start: Date;
  days: number;
  /** "HH:MM" (UTC). */
  at: string;
  /** The command to run each day, as argv. */
  argv: string[];
  env: Record<string, string>;
  user: string;
  log: string;
}

/** The days of the check-in period: the day after go-live, then one a day. */
export function checkInDays(start: Date, days: number): Date[] {
  const first = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate() + 1);
  return Array.from({ length: days }, (_, i) => new Date(first + i * 86_400_000));
}

const [hh, mm] = [(at: string) => Number(at.split(':')[0]), (at: string) => Number(at.split(':')[1])];

/** Written by the cron escaper (src/escape/cron.ts): a newline in a person's login cannot add a root job. */
export function renderCron(s: ScheduleInput): string {
  const command = `${cronCommand(s.argv)} >> ${cronWord(s.log, 'the log file')} 2>&1`;
  const user = cronUser(s.user, '--user');
  return [
    cronComment(`mokodeploy: hypercare check-ins for ${s.id} (daily verification, first ${s.days} days after go-live; times UTC)`),
    'CRON_TZ=UTC',
    ...Object.entries(s.env).map(([k, v]) => cronEnv(k, v)),
    ...checkInDays(s.start, s.days).map(
      (d) => `${mm(s.at)} ${hh(s.at)} ${d.getUTCDate()} ${d.getUTCMonth() + 1} * ${user} ${command}`,
    ),
    '',
  ].join('\n');
}

export function renderSystemdService(s: ScheduleInput): string {
  // every value through the systemd escaper (src/escape/systemd.ts, issue 12): one setting per line, % and $ literal
  return [
    '[Unit]',
    `Description=mokodeploy hypercare check-in for ${systemdValue(s.id)}`,
    '',
    '[Service]',
    'Type=oneshot',
    `User=${systemdValue(cronUser(s.user, '--user'))}`,
    ...Object.entries(s.env).map(([k, v]) => systemdEnvironment(k, v)),
    `ExecStart=${systemdExecLine(s.argv)}`,
    `StandardOutput=append:${systemdValue(s.log, 'the log file')}`,
    `StandardError=append:${systemdValue(s.log, 'the log file')}`,
    '',
  ].join('\n');
}

export function renderSystemdTimer(s: ScheduleInput): string {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return [
    '[Unit]',
    `Description=daily hypercare verification of ${s.id} (first ${s.days} days)`,
    '',
    '[Timer]',
    ...checkInDays(s.start, s.days).map((d) => `OnCalendar=${day(d)} ${s.at}:00 UTC`),
    'Persistent=true',
    '',
    '[Install]',
    'WantedBy=timers.target',
    '',
  ].join('\n');
}

/**
 * The hypercare period of a live deployment: from go-live for support.hypercareDays days (policy "Support
 * Transition"). Cron lines carry no year (`0 7 7 12 *` runs again next December), so a scheduled run checks
 * the period itself: outside it, it does nothing and says so; past its last check-in day it removes its
 * schedule file (issue 25).
 */
export interface HypercarePeriod {
  start: Date;
  end: Date;
  /** The last scheduled check-in day (UTC midnight). */
  lastCheckIn: Date;
}

export function hypercarePeriod(
  support: { hypercareStart: string; hypercareDays: number },
  checkInDayCount: number,
): HypercarePeriod {
  const start = new Date(support.hypercareStart);
  const days = checkInDays(start, Math.max(1, checkInDayCount));
  return {
    start,
    end: new Date(start.getTime() + support.hypercareDays * 86_400_000),
    lastCheckIn: days.at(-1)!,
  };
}

export type PeriodVerdict = 'before' | 'inside' | 'last-day' | 'after';

export function placeInPeriod(p: HypercarePeriod, now: Date): PeriodVerdict {
  if (now < p.start) return 'before';
  const lastDayEnd = p.lastCheckIn.getTime() + 86_400_000;
  // the last cron line is on the last check-in day; anything later (next year's same date) is over
  if (now.getTime() >= Math.max(p.end.getTime(), lastDayEnd)) return 'after';
  if (now.getTime() >= p.lastCheckIn.getTime()) return 'last-day';
  return 'inside';
}

/**
 * Every variable the CLI reads, with the values this run uses, resolved to absolute paths: cron starts
 * the line with almost nothing (HOME of the cron user, PATH=/usr/bin:/bin, cwd HOME), so a variable left
 * out silently changes which store, team, secret key or audit signing key the scheduled run uses.
 */
export function scheduleEnvironment(input: {
  home: string;
  teamFile: string;
  secretKeyFile: string;
  auditKeyFile: string;
  env: NodeJS.ProcessEnv;
  /**
   * The store when it is not the SQLite file in the home (issue 20: a PostgreSQL store), as `store.location`: the
   * URL without its password, because this file is world-readable (0644); the password comes from ~/.pgpass or
   * PGPASSFILE of the user the job runs as.
   */
  store?: string;
  /** The evidence location when not `<home>/evidence` (`--evidence-store` / MOKODEPLOY_EVIDENCE; S3 credentials never in it). */
  evidence?: string;
}): Record<string, string> {
  const e = input.env;
  return {
    MOKODEPLOY_HOME: input.home,
    ...(input.store ? { MOKODEPLOY_STORE: withoutPassword(input.store) } : {}),
    ...(input.evidence ? { MOKODEPLOY_EVIDENCE: withoutPassword(input.evidence) } : {}),
    MOKODEPLOY_TEAM: input.teamFile,
    MOKODEPLOY_SECRET_KEY_FILE: input.secretKeyFile,
    MOKODEPLOY_AUDIT_KEY_FILE: input.auditKeyFile,
    ...(e.MOKODEPLOY_POLICY ? { MOKODEPLOY_POLICY: resolve(e.MOKODEPLOY_POLICY) } : {}),
    ...(e.MOKODEPLOY_CHROMIUM ? { MOKODEPLOY_CHROMIUM: e.MOKODEPLOY_CHROMIUM } : {}),
    ...(e.PATH ? { PATH: e.PATH } : {}),
  };
}

/** A store URL fit for a world-readable file: any password dropped (a path is returned as it is). */
function withoutPassword(store: string): string {
  try {
    const u = new URL(store);
    if (!u.password) return store;
    u.password = '';
    return u.toString();
  } catch {
    return store;
  }
}
