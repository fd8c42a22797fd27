import type { CommandModule } from './module.js';
import { inputError, targetError } from '../../core/errors.js';
import type { DeploymentRecord } from '../../core/record.js';
import { engineSetup, withEngineOptions, type EngineCliOptions } from '../../app/engine/setup.js';
import {
  defaultArchiveRules,
  planArchiveRetention,
  type ArchiveDecision,
  type ArchiveRules,
} from '../../steps/upgrade-copy/archives.js';
import { dropArchivesStep, readArchives } from '../../steps/upgrade-copy/archives-steps.js';
import { runPipeline } from '../../steps/upgrade/engine-run.js';

interface ArchivesCliOptions extends EngineCliOptions {
  prune?: boolean;
  dryRun?: boolean;
  keep?: string;
  keepDays?: string;
  failedKeepDays?: string;
}

/**
 * `mokodeploy archives <id> [--prune] [--dry-run]` (issue 19): the schemas upgrades by copy left on the database
 * server (steps/upgrade-copy/archives.ts), each with what retention decides and why. --prune drops the ones given
 * up (never the live one, never the newest before hypercare ends), under the target lock, and records what it
 * dropped on the deployment (audited). Without --prune, or with --dry-run, nothing changes.
 */
export const archivesCommands: CommandModule = {
  register(program, app) {
    withEngineOptions(
      program
        .command('archives <id>')
        .description(
          'list the database schemas upgrades by copy left (archives) and what retention decides; --prune drops the ones given up',
        ),
    )
      .option('--prune', 'drop the archives retention gives up (audited)')
      .option('--dry-run', 'with --prune: list what would be dropped, drop nothing')
      .option('--keep <n>', `archives kept whatever their age (default ${defaultArchiveRules.keep})`)
      .option(
        '--keep-days <d>',
        `archives left less than d days ago are kept (default ${defaultArchiveRules.keepDays})`,
      )
      .option(
        '--failed-keep-days <d>',
        `failed upgrades' schemas are kept d days (default ${defaultArchiveRules.failedKeepDays})`,
      )
      .action(async (id: string, o: ArchivesCliOptions) => {
        const rules = rulesOf(o);
        const a = app();
        const s = await engineSetup(a, id, o);
        try {
          const ctx = s.ctx({});
          const found = await readArchives(s.host, ctx);
          const decisions = planArchiveRetention(found.archives, {
            now: a.now(),
            hypercareEnds: hypercareEnds(s.record),
            rules,
          });
          const drop = decisions.filter((d) => d.drop).map((d) => d.name);
          const pruning = Boolean(o.prune) && !o.dryRun;
          if (pruning && drop.length > 0) {
            const run = await runPipeline(
              { ...s.engine, ctx },
              'archives',
              [dropArchivesStep(drop, found.live)],
              {},
            );
            if (!run.ok) throw run.error ?? targetError('dropping the archives failed');
            await a.act(
              id,
              'record-facts',
              { archivesPruned: { at: a.now().toISOString(), live: found.live, dropped: drop, rules } },
              o.as,
            );
          }
          a.out.result(
            { id, live: found.live, rules, archives: decisions, dropped: pruning ? drop : [] },
            () => human(id, found.live, decisions, pruning),
          );
        } finally {
          await s.close();
        }
      });
  },
};

function count(flag: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || !Number.isFinite(n))
    throw inputError(`${flag}: expected a number of 0 or more, got "${v}"`, { fix: `e.g. ${flag} 2` });
  return n;
}

function rulesOf(o: ArchivesCliOptions): ArchiveRules {
  return {
    ...defaultArchiveRules,
    keep: Math.floor(count('--keep', o.keep, defaultArchiveRules.keep)),
    keepDays: count('--keep-days', o.keepDays, defaultArchiveRules.keepDays),
    failedKeepDays: count('--failed-keep-days', o.failedKeepDays, defaultArchiveRules.failedKeepDays),
  };
}

/** When hypercare ends: its start plus its days; a closed deployment's has ended; unknown before it starts. */
function hypercareEnds(r: DeploymentRecord): Date | undefined {
  if (r.state === 'closed') return new Date(0);
  if (!r.support) return undefined;
  return new Date(Date.parse(r.support.hypercareStart) + r.support.hypercareDays * 86_400_000);
}

function human(id: string, live: string, decisions: ArchiveDecision[], pruned: boolean): string {
  const verb = (d: ArchiveDecision) => (d.drop ? (pruned ? 'dropped' : 'would drop') : 'keep');
  return [
    `${id}: live database ${live}; ${decisions.length} archive(s)`,
    ...decisions.map((d) => `  ${verb(d).padEnd(10)} ${d.name} (${d.kind}): ${d.reason}`),
    ...(decisions.some((d) => d.drop) && !pruned ? [`to drop them: mokodeploy archives ${id} --prune`] : []),
  ].join('\n');
}
