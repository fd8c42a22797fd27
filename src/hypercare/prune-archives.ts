import type { AppContext } from '../app/context.js';
import { engineSetup, type EngineCliOptions, type EngineSetup } from '../app/engine/setup.js';
import { targetError } from '../core/errors.js';
import {
  defaultArchiveRules,
  planArchiveRetention,
  type ArchiveDecision,
  type ArchiveRules,
} from '../steps/upgrade-copy/archives.js';
import { dropArchivesStep, readArchives } from '../steps/upgrade-copy/archives-steps.js';
import { runPipeline } from '../steps/upgrade/engine-run.js';
import { newestArchiveGuard } from './archive-guard.js';

/** What started a prune: a person (`archives --prune`), the end of hypercare (`close`), the next upgrade by copy. */
export type PruneTrigger = 'command' | 'hypercare-ended' | 'upgrade-start';

export interface PruneResult {
  live: string;
  decisions: ArchiveDecision[];
  dropped: string[];
}

/**
 * Issue 19 archive retention, one way for every trigger: read the deployment's schemas on the database server,
 * decide with the rules (archives.ts; the newest archive guarded by its owner's hypercare, archive-guard.ts), and
 * with `prune` drop what may go as a journaled run under the target lock (archives-steps.ts re-checks each name:
 * never the live database), then record facts.archivesPruned on the deployment (record-facts: audited).
 */
export async function pruneArchives(
  a: AppContext,
  s: EngineSetup,
  id: string,
  o: { prune: boolean; trigger: PruneTrigger; rules?: ArchiveRules; as?: string },
): Promise<PruneResult> {
  const rules = o.rules ?? defaultArchiveRules;
  const ctx = s.ctx({});
  const found = await readArchives(s.host, ctx);
  const newest = found.archives.find((x) => x.kind === 'left')?.name;
  const guard = newestArchiveGuard(await (await a.store()).all(), newest, s.record);
  const decisions = planArchiveRetention(found.archives, {
    now: a.now(),
    hypercareEnds: guard.hypercareEnds,
    rules,
  });
  const drop = decisions.filter((d) => d.drop).map((d) => d.name);
  if (!o.prune || drop.length === 0) return { live: found.live, decisions, dropped: [] };
  const run = await runPipeline({ ...s.engine, ctx }, 'archives', [dropArchivesStep(drop, found.live)], {});
  if (!run.ok) throw run.error ?? targetError('dropping the archives failed');
  const archivesPruned = {
    at: a.now().toISOString(),
    live: found.live,
    dropped: drop,
    rules,
    trigger: o.trigger,
    ...(guard.owner ? { newestGuardedBy: guard.owner } : {}),
  };
  await a.act(id, 'record-facts', { archivesPruned }, o.as);
  return { live: found.live, decisions, dropped: drop };
}

/**
 * At the start of an upgrade by copy (src/app/engine/upgrade-run.ts), before its backup and its copy: what the rules
 * give up is dropped first (room for the copy: upgrade:check-copy wants the live size x 1.2 free). The newest
 * archive stays while its owner's hypercare runs; the live database is never listed.
 */
export async function pruneArchivesBeforeUpgrade(
  a: AppContext,
  s: EngineSetup,
  id: string,
  as?: string,
): Promise<void> {
  const r = await pruneArchives(a, s, id, { prune: true, trigger: 'upgrade-start', as });
  if (r.dropped.length)
    a.out.line(`${id}: dropped archive schema(s) retention gave up: ${r.dropped.join(', ')}`);
}

/**
 * When the deployment's hypercare ends (`close`, the phase change after the hypercare gate): an upgrade by copy's
 * archives are pruned with its hypercare over. Only for a deployment whose upgrade ran by copy (the one that left
 * archives); a failure is reported with the command that finishes the job (the close itself stands).
 */
export async function pruneArchivesAtHypercareEnd(
  a: AppContext,
  id: string,
  o: EngineCliOptions = {},
): Promise<PruneResult | undefined> {
  const found = await (await a.store()).get(id);
  const up = found?.record.facts.upgrade as { engine?: unknown } | undefined;
  if (!found || up?.engine !== 'copy') return undefined;
  // the engine's work is the technical lead's (deployment.execute), as a scheduled hypercare run's: the person who
  // closed (a deployment manager) is not asked to hold that right
  const as = found.record.plan.people['technical-lead'];
  try {
    const s = await engineSetup(a, id, { ...o, as });
    try {
      const r = await pruneArchives(a, s, id, { prune: true, trigger: 'hypercare-ended', as });
      a.out.line(
        `${id}: hypercare ended: ${r.dropped.length ? `dropped archive schema(s) ${r.dropped.join(', ')}` : 'no archive schema to drop'}`,
      );
      return r;
    } finally {
      await s.close();
    }
  } catch (e) {
    a.out.warn(
      `${id}: the archives were not pruned at the end of hypercare: ${(e as Error).message}; run: mokodeploy archives ${id} --prune`,
    );
    process.exitCode = 1;
    return undefined;
  }
}
