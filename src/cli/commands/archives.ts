import type { CommandModule } from './module.js';
import { inputError } from '../../core/errors.js';
import { engineSetup, withEngineOptions, type EngineCliOptions } from '../../app/engine/setup.js';
import { defaultArchiveRules, type ArchiveDecision, type ArchiveRules } from '../../steps/upgrade-copy/archives.js';
import { pruneArchives } from '../../hypercare/prune-archives.js';

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
 * up (never the live one, never the newest before the hypercare of the deployment that left it ends), under the
 * target lock, and records what it dropped on the deployment (audited). Without --prune, or with --dry-run, nothing
 * changes. The same prune runs by itself at `close` and at the start of an upgrade by copy (src/hypercare/).
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
          const pruning = Boolean(o.prune) && !o.dryRun;
          const r = await pruneArchives(a, s, id, { prune: pruning, trigger: 'command', rules, as: o.as });
          a.out.result(
            { id, live: r.live, rules, archives: r.decisions, dropped: r.dropped },
            () => human(id, r.live, r.decisions, pruning),
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

function human(id: string, live: string, decisions: ArchiveDecision[], pruned: boolean): string {
  const verb = (d: ArchiveDecision) => (d.drop ? (pruned ? 'dropped' : 'would drop') : 'keep');
  return [
    `${id}: live database ${live}; ${decisions.length} archive(s)`,
    ...decisions.map((d) => `  ${verb(d).padEnd(10)} ${d.name} (${d.kind}): ${d.reason}`),
    ...(decisions.some((d) => d.drop) && !pruned ? [`to drop them: mokodeploy archives ${id} --prune`] : []),
  ].join('\n');
}
