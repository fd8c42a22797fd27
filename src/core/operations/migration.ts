import { z } from 'zod';
import { always, defineOperation } from '../operation.js';
import { refused } from '../errors.js';
import { requiredChecklistItems } from '../required-items.js';
import type { DeploymentRecord, Evidence } from '../record.js';

const counts = z.strictObject({
  source: z.number().int().nonnegative(),
  loaded: z.number().int().nonnegative(),
  alreadyPresent: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  deferred: z.number().int().nonnegative(),
});

const fileEvidence = z.strictObject({ name: z.string().min(1), sha256: z.string().regex(/^[a-f0-9]{64}$/), size: z.number().int().nonnegative() });

/** One run of `mokodeploy migrate` (src/migrate): kept in record.facts.migrations, in order. */
export const migrationInput = z.strictObject({
  batch: z.string().regex(/^\d{14}$/),
  mode: z.enum(['dry-run', 'sample', 'full', 'undo']),
  outcome: z.enum(['committed', 'rolled-back', 'refused', 'undone']),
  reconciled: z.boolean(),
  counts,
  report: fileEvidence.optional(),
  backup: z.strictObject({ path: z.string().min(1), sha256: z.string().regex(/^[a-f0-9]{64}$/) }).optional(),
});
export type MigrationEvidence = z.infer<typeof migrationInput>;

const closedStates = ['closed', 'cancelled'];
const editableStates = ['draft', 'submitted', 'approved', 'ready', 'scheduled', 'rolled-back'];

/**
 * Policy "Data Migration Validation" and "Data Migration Deployment": the migration's report
 * is evidence on the deployment. A committed, reconciled sample run ticks "Sample data migrated
 * successfully", and its backup ticks "Backup of source data created", for the technical lead
 * who ran it. "Data integrity validated" stays with QA, who reads the report.
 */
export const recordMigration = defineOperation({
  name: 'record-migration',
  permission: 'deployment.execute',
  input: migrationInput,
  engineResult: always,
  describe: (m) => `recorded data migration ${m.batch} (${m.mode}: ${m.outcome}, ${m.counts.loaded} loaded, ${m.counts.rejected} rejected)`,
  apply(record, input, ctx) {
    if (closedStates.includes(record.state)) throw refused(`${record.id} is ${record.state}: no more migrations are recorded on it`);
    const previous = Array.isArray(record.facts.migrations) ? (record.facts.migrations as unknown[]) : [];
    const entry = { ...input, at: ctx.now.toISOString(), by: ctx.actor.login };
    let next: DeploymentRecord = { ...record, facts: { ...record.facts, migrations: [...previous, entry] } };
    const good = input.outcome === 'committed' && input.reconciled;
    if (good && input.mode === 'sample' && input.report) next = autoTick(next, 'sample-migrated', { kind: 'file', ...input.report }, ctx);
    if (good && input.backup) next = autoTick(next, 'source-backup', { kind: 'backup', ...input.backup }, ctx);
    return next;
  },
});

function autoTick(
  record: DeploymentRecord,
  itemId: string,
  evidence: Evidence,
  ctx: Parameters<typeof recordMigration.apply>[2],
): DeploymentRecord {
  const item = requiredChecklistItems(ctx.policy, record.plan).find((i) => i.id === itemId);
  if (!item || !editableStates.includes(record.state) || !ctx.actor.roles.includes(item.role as never)) return record;
  const prev = record.checklist[itemId];
  const at = ctx.now.toISOString();
  return {
    ...record,
    checklist: {
      ...record.checklist,
      [itemId]: {
        ticked: true,
        evidence: [...(prev?.ticked ? prev.evidence : []), evidence],
        stamp: { by: ctx.actor.login, role: item.role as never, at },
        history: [...(prev?.history ?? []), { action: 'tick', by: ctx.actor.login, at, note: 'data migration run' }],
      },
    },
  };
}
