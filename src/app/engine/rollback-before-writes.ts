import type { AppContext } from '../context.js';
import { MokoError } from '../../core/errors.js';
import { gatherRollbackFacts } from '../../steps/rollback/facts.js';
import { runRollbackBeforeWrites, type BeforeWritesResult } from '../../steps/rollback/run-before-writes.js';
import { targetError } from '../../core/errors.js';
import type { EngineSetup } from './setup.js';

/**
 * Issue 19: `mokodeploy rollback` after an upgrade by copy tries the rollback before writes first: the old release
 * goes back to the old database the upgrade left whole and `current` is switched back, nothing restored
 * (steps/rollback/run-before-writes.ts). It applies only to the record's last upgrade by copy, when no --backup or
 * --to-release is asked for, and only while the target's live database (read from `current`'s conf.php) is still the
 * one that upgrade switched to; when the new release took writes (or the archive is gone), it leaves the new release
 * serving and writable and says so, and the verified restore from the backup follows as before (rollback-run.ts).
 */
interface CopyUpgradeFacts {
  engine?: string;
  archiveDatabase?: string;
  liveDatabase?: string;
  previousRelease?: string;
  newRelease?: string;
  backupStamp?: string;
}

export async function tryRollbackBeforeWrites(
  a: AppContext,
  s: EngineSetup,
  o: { as?: string; trigger: string; reason: string; backup?: string; toRelease?: string },
): Promise<BeforeWritesResult | undefined> {
  const up = s.record.facts.upgrade as CopyUpgradeFacts | undefined;
  if (o.backup || o.toRelease || up?.engine !== 'copy' || !up.archiveDatabase || !up.previousRelease)
    return undefined;
  const phpReload = s.factOverrides.phpReload ?? {
    kind: 'systemd' as const,
    service: s.record.plan.target.phpFpmService ?? 'php8.2-fpm',
  };
  const facts = await gatherRollbackFacts(s.host, s.record.plan, {
    backupStamp: up.backupStamp,
    previousRelease: up.previousRelease,
    reason: o.reason,
    phpReload,
    now: a.now(),
  });
  const live = facts.target.liveDatabase;
  if (!up.liveDatabase || live !== up.liveDatabase) {
    a.out.warn(
      `no rollback before writes: the site uses ${live ?? 'an unreadable database'}, not ${up.liveDatabase ?? 'the database'} the last upgrade by copy switched to; the verified restore from the backup follows`,
    );
    return undefined;
  }
  let r: BeforeWritesResult;
  try {
    r = await runRollbackBeforeWrites({
      ...s.engine,
      ctx: s.ctx({
        ...s.factOverrides,
        ...facts,
        archiveDatabase: up.archiveDatabase,
        liveDatabase: live,
        badRelease: up.newRelease,
      }),
      access: s.access,
    });
  } catch (e) {
    if (!(e instanceof MokoError) || e.kind !== 'refused') throw e;
    a.out.warn(`no rollback before writes: ${e.message}; the verified restore from the backup follows`);
    return undefined;
  }
  if (!r.ok)
    throw targetError(`${s.record.id}: the rollback before writes failed: ${r.reason}`, {
      where: r.failedStep,
    });
  return r;
}

/** What the record keeps of it (facts.lastRollback), beside the core 'rollback' operation. */
export function beforeWritesFacts(r: BeforeWritesResult, up: { previousRelease?: string }, at: Date) {
  return {
    at: at.toISOString(),
    beforeWrites: true,
    release: up.previousRelease,
    durationSeconds: r.durationMs / 1000,
    downtimeSeconds: r.downtime?.downtimeSeconds,
    switchSeconds: r.switchWindow?.seconds,
    runId: r.runId,
    steps: r.steps,
    verified: { login: r.health?.ok, noWritesSinceUpgrade: true },
  };
}
