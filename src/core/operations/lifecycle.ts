import { z } from 'zod';
import { always, defineOperation } from '../operation.js';
import { transition } from '../transitions.js';
import { refused } from '../errors.js';
import { businessHoursWarnings, scheduleProblems, windowDecision } from '../window.js';
import { policyApplies } from '../required-items.js';
import { evidenceInput } from './evidence-input.js';
import type { OperationContext } from '../operation.js';
import type { DeploymentRecord } from '../record.js';

export const markReady = defineOperation({
  name: 'ready',
  permission: 'deployment.ready',
  input: z.strictObject({ note: z.string().optional() }),
  describe: () => 'declared the deployment ready',
  apply: (record, input, ctx) => transition(record, 'ready', ctx, input.note),
});

/** Policy "Phase 1: Schedule deployment window": communicated, client-approved, outside business hours if possible. */
export const schedule = defineOperation({
  name: 'schedule',
  permission: 'deployment.schedule',
  input: z.strictObject({
    clientApprovedBy: z.string().min(1, 'name the client person who approved the timing'),
    start: z.iso.datetime({ offset: true }).optional(),
    end: z.iso.datetime({ offset: true }).optional(),
  }),
  describe: (i) => `scheduled the window (client approval: ${i.clientApprovedBy})`,
  apply(record, input, ctx) {
    const start = input.start ?? record.plan.window?.start;
    const end = input.end ?? record.plan.window?.end;
    if (!start || !end) {
      throw refused('no deployment window: the plan has no window and none was given', {
        fix: 'add window.start/window.end to the plan, or pass --start and --end',
      });
    }
    if (Date.parse(end) <= Date.parse(start)) throw refused('the window ends before it starts');
    const timing = scheduleProblems(ctx.policy, { start, end }, ctx.now);
    if (timing.refusal && policyApplies(ctx.policy, record.plan)) {
      throw refused(timing.refusal, {
        fix: 'agree a future window with the client: --start ISO --end ISO (or window.start/end in the plan)',
      });
    }
    const warnings = [
      ...(timing.refusal ? [`not applicable (${record.environment}): ${timing.refusal}`] : []),
      ...timing.warnings,
      ...businessHoursWarnings(ctx.policy, start, end, record.plan.window?.timezone ?? 'UTC'),
      ...approverWarnings(record, input.clientApprovedBy),
    ];
    ctx.warnings.push(...warnings);
    const withWindow = {
      ...record,
      schedule: {
        start,
        end,
        clientApprovedBy: input.clientApprovedBy,
        stamp: { by: ctx.actor.login, role: ctx.role, at: ctx.now.toISOString() },
        warnings,
      },
    };
    return transition(withWindow, 'scheduled', ctx);
  },
});

/** The client approval names one of the plan's approver contacts, when the plan lists them (issue 16). */
function approverWarnings(record: DeploymentRecord, name: string): string[] {
  const approvers = (record.plan.contacts ?? []).filter((c) => c.role === 'approver');
  if (approvers.length === 0 || approvers.some((c) => c.name.toLowerCase() === name.trim().toLowerCase())) return [];
  return [
    `${name} is not an approver in the plan's contacts (${approvers.map((c) => c.name).join(', ')}); the window invitation goes to those`,
  ];
}

/** The engine starts a run (scheduled -> deploying), or resumes one already deploying. */
export const startRun = defineOperation({
  name: 'start-run',
  permission: 'deployment.execute',
  input: z.strictObject({
    note: z.string().optional(),
    /** When the killed run this one resumes wrote its last journal record (issue 13: it ends abandoned, with its times). */
    interruptedEndedAt: z.iso.datetime({ offset: true }).optional(),
  }),
  describe: () => 'started the deployment run',
  engineResult: always,
  apply(record, input, ctx) {
    const moved = record.state === 'deploying' ? record : transition(record, 'deploying', ctx, input.note);
    // a run still `running` here was killed: it ends as abandoned with its times, its duration counted in the metrics
    const runs = moved.runs.map((run) => {
      if (run.outcome !== 'running') return run;
      const finishedAt = input.interruptedEndedAt ?? ctx.now.toISOString();
      const durationSeconds = Math.max(0, (Date.parse(finishedAt) - Date.parse(run.startedAt)) / 1000);
      return {
        ...run,
        outcome: 'abandoned' as const,
        finishedAt,
        durationSeconds,
        note: 'interrupted; resumed',
      };
    });
    return {
      ...moved,
      runs: [
        ...runs,
        { startedAt: ctx.now.toISOString(), by: ctx.actor.login, outcome: 'running', evidence: [] },
      ],
    };
  },
});

export const finishRun = defineOperation({
  name: 'finish-run',
  permission: 'deployment.execute',
  input: z.strictObject({
    // abandoned: a run killed and never resumed (closed by the rollback that undid it), issue 13
    outcome: z.enum(['succeeded', 'failed', 'abandoned']),
    durationSeconds: z.number().nonnegative(),
    downtimeSeconds: z.number().nonnegative().optional(),
    note: z.string().optional(),
  }),
  describe: (i) => `finished the deployment run: ${i.outcome}`,
  engineResult: always,
  apply(record, input, ctx) {
    const last = record.runs.at(-1);
    if (record.state !== 'deploying' || !last) throw refused(`${record.id} has no run in progress`);
    const run = {
      ...last,
      finishedAt: ctx.now.toISOString(),
      outcome: input.outcome,
      durationSeconds: input.durationSeconds,
      downtimeSeconds: input.downtimeSeconds,
      note: input.note,
    };
    const updated = { ...record, runs: [...record.runs.slice(0, -1), run] };
    return input.outcome === 'succeeded' ? transition(updated, 'verifying', ctx) : updated;
  },
});

/** A deployment executed outside the tool, recorded with its evidence (e.g. a console log). */
export const recordManualRun = defineOperation({
  name: 'record-run',
  permission: 'deployment.execute',
  input: z.strictObject({
    startedAt: z.iso.datetime({ offset: true }),
    finishedAt: z.iso.datetime({ offset: true }),
    downtimeSeconds: z.number().nonnegative().optional(),
    evidence: z.array(evidenceInput).min(1, 'a manual run needs evidence (a log, a link)'),
    note: z.string().optional(),
  }),
  describe: () => 'recorded a manual deployment run',
  apply(record, input, ctx) {
    const durationSeconds = (Date.parse(input.finishedAt) - Date.parse(input.startedAt)) / 1000;
    if (durationSeconds < 0) throw refused('the run finishes before it starts');
    const deploying = transition(record, 'deploying', ctx, 'manual run');
    checkRecordedRunTimes(record, input, ctx);
    const run = {
      startedAt: input.startedAt,
      finishedAt: input.finishedAt,
      by: ctx.actor.login,
      outcome: 'recorded-manually' as const,
      durationSeconds,
      downtimeSeconds: input.downtimeSeconds,
      note: input.note,
      evidence: input.evidence,
    };
    return transition({ ...deploying, runs: [...deploying.runs, run] }, 'verifying', ctx);
  },
});

/**
 * A run recorded by hand obeys what a run by the tool obeys (issue 16): it is over (it finishes no later than
 * now), and it ran inside the approved window or under a recorded exception (policy "Phase 2: deployment
 * window"); out of the policy's scope the window only warns.
 */
function checkRecordedRunTimes(
  record: DeploymentRecord,
  input: { startedAt: string; finishedAt: string },
  ctx: OperationContext,
): void {
  const now = ctx.now.toISOString();
  if (Date.parse(input.finishedAt) > ctx.now.getTime())
    throw refused(`the run finishes at ${input.finishedAt}, after now (${now}): a run is recorded once it is over`, {
      fix: 'record it after it finished, with the start and finish times of its log',
    });
  const notes = new Set<string>();
  for (const at of [input.startedAt, input.finishedAt]) {
    const d = windowDecision(record, ctx.policy, new Date(at), { command: 'a recorded run' });
    if (!d.allowed) {
      const w = record.schedule;
      throw refused(
        `the run recorded from ${input.startedAt} to ${input.finishedAt} lies outside the approved window${w ? ` ${w.start} - ${w.end}` : ''} (at ${at})`,
        { fix: d.fix },
      );
    }
    if (d.note) notes.add(d.note.replace(/; now [^)]*\)/, `; run ${input.startedAt} - ${input.finishedAt})`));
  }
  ctx.warnings.push(...notes);
}

export const cancel = defineOperation({
  name: 'cancel',
  permission: 'deployment.cancel',
  input: z.strictObject({ reason: z.string().min(1, 'say why the deployment is cancelled') }),
  describe: (i) => `cancelled: ${i.reason}`,
  apply(record, input, ctx) {
    const moved = transition(record, 'cancelled', ctx, input.reason);
    return {
      ...moved,
      cancellation: { by: ctx.actor.login, at: ctx.now.toISOString(), reason: input.reason },
    };
  },
});

export const close = defineOperation({
  name: 'close',
  permission: 'deployment.close',
  input: z.strictObject({ note: z.string().optional() }),
  describe: () => 'closed the deployment',
  apply: (record, input, ctx) => transition(record, 'closed', ctx, input.note),
});

/**
 * An exception to the approved window (policy "Phase 2: Deployment (deployment window)"): a new window or an
 * emergency, with the reason, by a deployment manager. Audited like every operation; shown on reports.
 */
export const windowException = defineOperation({
  name: 'window-exception',
  permission: 'window.exception',
  input: z
    .strictObject({
      reason: z.string().min(1, 'say why the deployment runs outside the approved window'),
      emergency: z.boolean().default(false),
      start: z.iso.datetime({ offset: true }).optional(),
      end: z.iso.datetime({ offset: true }).optional(),
    })
    .refine((i) => i.emergency !== Boolean(i.start && i.end), {
      message: 'give either a new window (start and end) or emergency, not both',
    })
    .refine((i) => i.emergency || (i.start && i.end), { message: 'a new window needs both start and end' }),
  describe: (i) =>
    `recorded a window exception (${i.emergency ? 'emergency' : `${i.start} - ${i.end}`}): ${i.reason}`,
  apply(record, input, ctx) {
    if (!record.schedule) {
      throw refused(`${record.id} has no approved window to make an exception to`, {
        fix: `schedule it first: mokodeploy schedule ${record.id} --client-approved-by "Name"`,
      });
    }
    if (['closed', 'cancelled'].includes(record.state)) throw refused(`${record.id} is ${record.state}`);
    if (!input.emergency) {
      if (Date.parse(input.end!) <= Date.parse(input.start!)) throw refused('the window ends before it starts');
      if (Date.parse(input.end!) <= ctx.now.getTime())
        throw refused(`the exception window ${input.start} - ${input.end} is in the past`);
    }
    const entry = {
      at: ctx.now.toISOString(),
      by: ctx.actor.login,
      reason: input.reason,
      emergency: input.emergency,
      ...(input.emergency ? {} : { start: input.start, end: input.end }),
    };
    return { ...record, windowExceptions: [...(record.windowExceptions ?? []), entry] };
  },
});
