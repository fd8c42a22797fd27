import { z } from 'zod';
import { defineOperation } from '../operation.js';
import { evidenceInput } from './evidence-input.js';

const fileEvidence = z.strictObject({
  kind: z.literal('file'),
  name: z.string().min(1),
  sha256: z.string().regex(/^[a-f0-9]{64}$/),
  size: z.number().int().nonnegative(),
});

/**
 * A document `mokodeploy report` generated for this deployment, by its sha256 (policy "Deployment Sign-Off —
 * Deployment report completed"; "Client Handoff": the pack delivered is matched against it). Only the report
 * command writes it, never a request body.
 */
export const recordDocument = defineOperation({
  name: 'record-document',
  permission: 'document.record',
  engineResult: () => true,
  input: z.strictObject({
    kind: z.enum(['handoff', 'signoff', 'deployment']),
    evidence: z.array(fileEvidence).min(1),
  }),
  describe: (i) => `generated the ${i.kind} document (${i.evidence.map((e) => e.name).join(', ')})`,
  apply: (record, input, ctx) => ({
    ...record,
    documents: [
      ...(record.documents ?? []),
      { kind: input.kind, at: ctx.now.toISOString(), by: ctx.actor.login, evidence: input.evidence },
    ],
  }),
});

/** Policy "Deployment Sign-Off — Knowledge base updated": a link to the article or the file written. */
export const recordKnowledgeBase = defineOperation({
  name: 'knowledge-base',
  permission: 'document.record',
  input: z.strictObject({
    evidence: z
      .array(evidenceInput)
      .min(1)
      .refine((es) => es.some((e) => e.kind === 'link' || e.kind === 'file'), {
        message: 'the knowledge-base update needs a link or a file as evidence',
      }),
  }),
  describe: () => 'recorded the knowledge-base update',
  apply: (record, input, ctx) => ({
    ...record,
    documents: [
      ...(record.documents ?? []),
      { kind: 'knowledge-base' as const, at: ctx.now.toISOString(), by: ctx.actor.login, evidence: input.evidence },
    ],
  }),
});
