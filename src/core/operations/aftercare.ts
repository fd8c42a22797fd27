import { z } from 'zod';
import { always, defineOperation } from '../operation.js';
import { notFound, refused } from '../errors.js';
import { evidenceInput } from './evidence-input.js';
import type { DeploymentRecord, Evidence } from '../record.js';

/** Per-deployment issue log (policy "Audit Requirements: Issue logs"; metric time to resolution). */
export const openIssue = defineOperation({
  name: 'issue-open',
  permission: 'issue.log',
  input: z.strictObject({
    title: z.string().min(1),
    severity: z.enum(['critical', 'major', 'minor']).default('major'),
  }),
  describe: (i) => `opened issue: ${i.title}`,
  apply(record, input, ctx) {
    const id = record.issues.length + 1;
    return {
      ...record,
      issues: [
        ...record.issues,
        {
          id,
          title: input.title,
          severity: input.severity,
          openedBy: ctx.actor.login,
          openedAt: ctx.now.toISOString(),
        },
      ],
    };
  },
});

export const resolveIssue = defineOperation({
  name: 'issue-resolve',
  permission: 'issue.resolve',
  input: z.strictObject({ id: z.number().int().positive(), resolution: z.string().min(1) }),
  describe: (i) => `resolved issue #${i.id}`,
  apply(record, input, ctx) {
    const issue = record.issues.find((i) => i.id === input.id);
    if (!issue)
      throw notFound(`${record.id} has no issue #${input.id}`, {
        fix: `issues: ${record.issues.map((i) => `#${i.id}`).join(', ') || 'none'}`,
      });
    if (issue.resolvedAt) throw refused(`issue #${input.id} is already resolved`);
    const resolved = {
      ...issue,
      resolvedBy: ctx.actor.login,
      resolvedAt: ctx.now.toISOString(),
      resolution: input.resolution,
    };
    return { ...record, issues: record.issues.map((i) => (i.id === input.id ? resolved : i)) };
  },
});

/** Policy "Training Sessions": planned, then held with attendees and materials. */
export const planTraining = defineOperation({
  name: 'training-plan',
  permission: 'training.record',
  input: z.strictObject({
    session: z.string(),
    plannedAt: z.iso.datetime({ offset: true }),
    materials: z.array(z.string()).default([]),
  }),
  describe: (i) => `planned ${i.session} training`,
  apply(record, input, ctx) {
    const sessions = ctx.policy.training.sessions;
    if (!sessions.some((s) => s.id === input.session)) {
      throw notFound(`unknown training session "${input.session}"`, {
        fix: `one of: ${sessions.map((s) => s.id).join(', ')}`,
      });
    }
    const id = record.trainings.length + 1;
    return {
      ...record,
      trainings: [
        ...record.trainings,
        { id, session: input.session, plannedAt: input.plannedAt, attendees: [], materials: input.materials },
      ],
    };
  },
});

export const holdTraining = defineOperation({
  name: 'training-held',
  permission: 'training.record',
  input: z.strictObject({
    id: z.number().int().positive(),
    heldAt: z.iso.datetime({ offset: true }),
    durationHours: z.number().positive(),
    /** Why the session lasted outside the policy's range (required then). */
    durationReason: z.string().min(1).optional(),
    attendees: z.array(z.string().min(1)).min(1, 'name who attended'),
    materials: z.array(z.string()).default([]),
  }),
  describe: (i) => `recorded training #${i.id} as held`,
  apply(record, input, ctx) {
    if (Date.parse(input.heldAt) > ctx.now.getTime())
      throw refused(`training #${input.id} cannot have been held at ${input.heldAt}: that is in the future`, {
        fix: 'record it once it has taken place, with the time it was held',
      });
    const t = record.trainings.find((x) => x.id === input.id);
    if (!t)
      throw notFound(`${record.id} has no planned training #${input.id}`, {
        fix: 'plan it first: mokodeploy training plan ...',
      });
    const def = ctx.policy.training.sessions.find((s) => s.id === t.session);
    const outside =
      def !== undefined &&
      ((def.minHours !== undefined && input.durationHours < def.minHours) ||
        (def.maxHours !== undefined && input.durationHours > def.maxHours));
    if (outside && !input.durationReason) {
      throw refused(
        `${def.label} lasted ${input.durationHours} h; the policy plans ${def.minHours}-${def.maxHours} h (${ctx.policy.training.section})`,
        { fix: 'record why it was shorter or longer: --reason "..."' },
      );
    }
    const held = {
      ...t,
      heldAt: input.heldAt,
      durationHours: input.durationHours,
      ...(input.durationReason ? { durationReason: input.durationReason } : {}),
      attendees: input.attendees,
      materials: [...t.materials, ...input.materials],
    };
    return { ...record, trainings: record.trainings.map((x) => (x.id === input.id ? held : x)) };
  },
});

/** Policy "Support Transition": daily check-ins in the first week of hypercare, feedback. */
export const checkIn = defineOperation({
  name: 'support-checkin',
  permission: 'support.record',
  input: z.strictObject({
    summary: z.string().min(1),
    source: z.enum(['manual', 'scheduled-verification']).default('manual'),
  }),
  describe: () => 'recorded a hypercare check-in',
  // the scheduled verification's check-in is written by `hypercare` itself, not by a client
  engineResult: (i) => i.source === 'scheduled-verification',
  apply(record, input, ctx) {
    if (!record.support) throw refused(`${record.id} is not in hypercare (it starts at go-live)`);
    const entry = {
      at: ctx.now.toISOString(),
      by: ctx.actor.login,
      summary: input.summary,
      source: input.source,
    };
    return { ...record, support: { ...record.support, checkIns: [...record.support.checkIns, entry] } };
  },
});

export const feedback = defineOperation({
  name: 'support-feedback',
  permission: 'support.record',
  input: z.strictObject({ text: z.string().min(1) }),
  describe: () => 'recorded user feedback',
  apply(record, input) {
    if (!record.support) throw refused(`${record.id} is not in hypercare (it starts at go-live)`);
    return { ...record, support: { ...record.support, feedback: [...record.support.feedback, input.text] } };
  },
});

export const deliverHandoff = defineOperation({
  name: 'handoff-deliver',
  permission: 'handoff.deliver',
  input: z.strictObject({ evidence: z.array(evidenceInput).min(1, 'the delivered pack or a link to it') }),
  describe: () => 'delivered the handoff pack',
  apply(record, input, ctx) {
    if (!['verifying', 'awaiting-signoff', 'live'].includes(record.state))
      throw refused(`${record.id} is ${record.state}: handoff follows deployment`);
    const problems = handoffEvidenceProblems(record, input.evidence);
    if (problems.length > 0) {
      throw refused('the handoff pack given is not the one for this deployment', {
        details: problems,
        fix: `attach the generated pack (mokodeploy report ${record.id} handoff --as <login>) or a PDF: --file PACK.pdf`,
      });
    }
    return {
      ...record,
      handoff: { deliveredAt: ctx.now.toISOString(), by: ctx.actor.login, evidence: input.evidence },
    };
  },
});

/**
 * Policy "Client Handoff": the pack attached is the one the tool generated for this deployment (its sha256 on
 * record) or a PDF; a note alone is not a delivered pack, a link to where the client finds it is.
 */
function handoffEvidenceProblems(record: DeploymentRecord, evidence: readonly Evidence[]): string[] {
  const generated = new Set(
    (record.documents ?? [])
      .filter((d) => d.kind === 'handoff')
      .flatMap((d) => d.evidence.flatMap((e) => (e.kind === 'file' ? [e.sha256] : []))),
  );
  const problems = evidence.flatMap((e) =>
    e.kind === 'file' && !generated.has(e.sha256) && !/\.pdf$/i.test(e.name)
      ? [`${e.name}: neither the handoff pack generated for ${record.id} (no sha256 match) nor a PDF`]
      : [],
  );
  if (!evidence.some((e) => e.kind === 'file' || e.kind === 'link'))
    problems.push('a note is not the pack: attach the file or link to it');
  return problems;
}

export const recordSatisfaction = defineOperation({
  name: 'satisfaction',
  permission: 'satisfaction.record',
  input: z.strictObject({ score: z.number(), comment: z.string().optional() }),
  describe: (i) => `recorded client satisfaction ${i.score}`,
  apply(record, input, ctx) {
    const { min, max } = ctx.policy.metrics.satisfactionScale;
    if (!Number.isInteger(input.score) || input.score < min || input.score > max) {
      throw refused(`a satisfaction score is a whole number from ${min} to ${max}; got ${input.score}`);
    }
    return {
      ...record,
      satisfaction: {
        score: input.score,
        by: ctx.actor.login,
        at: ctx.now.toISOString(),
        comment: input.comment,
      },
    };
  },
});

export const recordLesson = defineOperation({
  name: 'lesson',
  permission: 'lesson.record',
  input: z.strictObject({ text: z.string().min(1), tags: z.array(z.string()).default([]) }),
  describe: () => 'documented a lesson learned',
  apply: (record, input, ctx) => ({
    ...record,
    lessons: [
      ...record.lessons,
      { at: ctx.now.toISOString(), by: ctx.actor.login, text: input.text, tags: input.tags },
    ],
  }),
});

/** Facts from the engine (adopted install, release directory, versions, lock releases). */
export const recordFacts = defineOperation({
  name: 'record-facts',
  permission: 'deployment.execute',
  engineResult: always,
  input: z.record(z.string(), z.unknown()),
  describe: (f) => `recorded facts: ${Object.keys(f).join(', ')}`,
  apply: (record, facts) => ({ ...record, facts: { ...record.facts, ...facts } }),
});
