import { z } from 'zod';
import { always, defineOperation } from '../operation.js';
import { transition } from '../transitions.js';
import { notFound, refused } from '../errors.js';
import { requiredVerificationItems } from '../required-items.js';
import { judgeAgainstPolicy } from '../verification-thresholds.js';
import { blockingFindings } from '../gates.js';
import type { ValidationReport } from '../../checks/finding.js';

const resultSchema = z.strictObject({
  id: z.string(),
  status: z.enum(['pass', 'fail', 'warn', 'skip']),
  observed: z.string().optional(),
  detail: z.string().optional(),
});

/**
 * Policy "Phase 3: Verification" and "Verification Checklist". Results come from `verify`
 * (automated) or from QA ticking items by hand with evidence (manual).
 */
export const recordVerification = defineOperation({
  name: 'record-verification',
  permission: 'verification.run',
  // a client records manual results through the verification form (source: manual), never through the generic route
  engineResult: always,
  input: z.strictObject({ source: z.enum(['automated', 'manual']), results: z.array(resultSchema).min(1) }),
  describe: (i) =>
    `recorded ${i.source} verification (${i.results.filter((r) => r.status === 'fail').length} failing)`,
  apply(record, input, ctx) {
    if (!['verifying', 'awaiting-signoff', 'live'].includes(record.state)) {
      throw refused(`${record.id} is ${record.state}: verification follows a deployment run`, {
        fix: `deploy first: mokodeploy deploy ${record.id}`,
      });
    }
    const known = new Set([...requiredVerificationItems(ctx.policy).map((i) => i.id), 'verify.cdn']);
    const unknown = input.results.filter((r) => !known.has(r.id));
    if (unknown.length > 0) {
      throw notFound(`unknown verification item(s): ${unknown.map((r) => r.id).join(', ')}`, {
        fix: `items: ${[...known].join(', ')}`,
      });
    }
    // thresholds from the policy decide, whatever the source (a hand-written `warn` at 3.8 s is a fail)
    const judged = input.results.map((r) => judgeAgainstPolicy(ctx.policy, r, input.source));
    const refusals = judged.flatMap((j) => ('refusal' in j ? [j.refusal] : []));
    if (refusals.length > 0) {
      throw refused('verification results without the value the policy judges', {
        details: refusals,
        fix: 'add the measured value to each (observed), then record again',
      });
    }
    const results = judged.map((j) => ('result' in j ? j.result : undefined)!);
    for (const j of judged) if ('changed' in j && j.changed) ctx.warnings.push(j.changed);
    const passed = results.every((r) => r.status !== 'fail');
    const run = {
      at: ctx.now.toISOString(),
      by: ctx.actor.login,
      source: input.source,
      results,
      passed,
    };
    const updated = { ...record, verifications: [...record.verifications, run] };
    return record.state === 'verifying' ? transition(updated, 'awaiting-signoff', ctx) : updated;
  },
});

/** Attach an environment validation; it ticks (or un-ticks) "Environment specifications confirmed". */
export const recordValidation = defineOperation({
  name: 'record-validation',
  permission: 'validation.run',
  engineResult: always,
  input: z.custom<ValidationReport>(
    (v) => typeof v === 'object' && v !== null && Array.isArray((v as ValidationReport).findings),
  ),
  describe: (r) => `recorded environment validation of ${r.target}: ${r.worst}`,
  apply(record, report, ctx) {
    const validations = [...record.validations, report];
    const index = validations.length - 1;
    const passing = blockingFindings(report, ctx.policy).length === 0;
    const prev = record.checklist['environment-confirmed'];
    const at = ctx.now.toISOString();
    const entry = passing
      ? {
          ticked: true,
          evidence: [{ kind: 'validation' as const, validationIndex: index, worst: report.worst }],
          stamp: { by: ctx.actor.login, role: ctx.role, at },
          history: [
            ...(prev?.history ?? []),
            { action: 'tick' as const, by: ctx.actor.login, at, note: 'validation passed' },
          ],
        }
      : {
          ticked: false,
          evidence: [],
          history: [
            ...(prev?.history ?? []),
            ...(prev?.ticked
              ? [{ action: 'untick' as const, by: ctx.actor.login, at, note: `validation ${report.worst}` }]
              : []),
          ],
        };
    return { ...record, validations, checklist: { ...record.checklist, 'environment-confirmed': entry } };
  },
});
