import { copyEngineBackupOffsite } from '../../offsite/copy-engine-backup.js';
import type { AppContext } from '../context.js';
import { refused, targetError } from '../../core/errors.js';
import type { Evidence } from '../../core/record.js';
import { openRun } from '../../runner/index.js';
import type { Host } from '../../hosts/host.js';
import { targetLayout } from '../../dolibarr/layout.js';
import { journalId } from '../../steps/upgrade/engine-run.js';
import { gatherUpgradeFacts, resumeUpgradeFacts } from '../../steps/upgrade/facts.js';
import { recordedDowntime } from '../../steps/upgrade/outage.js';
import { runUpgrade, type UpgradeResult } from '../../steps/upgrade/run-upgrade.js';
import { runCopyUpgrade, type CopyUpgradeResult } from '../../steps/upgrade-copy/run-copy-upgrade.js';
import { refuseOutsideWindow } from '../../cli/commands/window-check.js';
import { shipIntoPlan } from '../../package/ship.js';
import { shipOptions } from '../../cli/commands/package.js';
import { checkBeforeWork, engineSetup, type EngineCliOptions } from './setup.js';
import { automaticRollbackDecision } from './automatic-rollback.js';
import { recordRollbackDecision } from '../../cli/commands/rollback-decide.js';
import { pruneArchivesBeforeUpgrade } from '../../hypercare/prune-archives.js';

export interface UpgradeCliOptions extends EngineCliOptions {
  /** Issue 19: the in-place engine (steps/upgrade/) instead of the upgrade by copy (steps/upgrade-copy/). */
  inPlace?: boolean;
}

type AnyUpgradeResult = UpgradeResult | CopyUpgradeResult;
const byCopy = (r: AnyUpgradeResult): r is CopyUpgradeResult => (r as CopyUpgradeResult).engine === 'copy';

/**
 * The upgrade on the deployment's target, recorded as a run (start-run checks the gates, backup-verified among
 * them): by default the upgrade by copy of issue 19 (steps/upgrade-copy/: the site serves reads while a copy of the
 * database is migrated, then a sub-second switch), or with --in-place the upgrade of issue 5 (steps/upgrade/:
 * maintenance while the live database migrates). A failed upgrade rolls itself back and is recorded as a rollback
 * with its reason, the failed release marked bad. Both `mokodeploy upgrade` and `mokodeploy deploy` of an upgrade
 * plan run it (deploy: by copy).
 */
export async function upgradeDeployment(a: AppContext, id: string, o: UpgradeCliOptions): Promise<void> {
  const s = await engineSetup(a, id, o);
  try {
    if (s.record.plan.kind !== 'upgrade' && s.record.plan.kind !== 'customization')
      throw refused(`${id} is a "${s.record.plan.kind}" deployment, not an upgrade or a customization`, {
        fix: 'plan an upgrade (kind: upgrade)',
      });
    // the record's state and the gates before the first command on the target (issue 13 "state before work")
    await checkBeforeWork(a, s.record, 'start-run', {}, o.as);
    await refuseOutsideWindow(a, id, { command: 'upgrade' }); // issue 16: the approved window
    await shipIntoPlan(s.host, s.record, shipOptions(a)); // issue 22: the approved package, verified on the target
    // an interrupted upgrade is resumed with its own facts, without reading the tarball again (the site may be in
    // maintenance); a new one reads and verifies the release before its maintenance starts
    const open = openRun(a.home, journalId(id, 'upgrade'));
    const interrupted = open?.records.find((r) => r.type === 'run-started');
    const facts = interrupted
      ? await resumeUpgradeFacts(s.host, s.record.plan, interrupted.facts, s.factOverrides)
      : await gatherUpgradeFacts(s.host, s.record.plan, s.factOverrides);
    // issue 19 retention: a new upgrade by copy first drops the archives the rules give up (src/hypercare/), once
    // the target's facts say there is a site to upgrade (read-only; "nothing is deployed" stays the first answer)
    if (!interrupted && o.inPlace !== true) await pruneArchivesBeforeUpgrade(a, s, id, o.as);
    const lastConf = s.record.facts.confSha256;
    if (typeof lastConf === 'string' && lastConf !== facts.target.confSha256)
      a.out.warn(
        `conf.php changed since the last deployment (sha256 ${String(facts.target.confSha256).slice(0, 12)}…, recorded ${lastConf.slice(0, 12)}…): it is carried over as it is; check the hand edit`,
      );
    await a.act(
      id,
      'start-run',
      {
        note: `${s.record.plan.kind} ${facts.target.dbVersion} -> ${s.record.plan.dolibarr.version}`,
        // the killed run's entry on the record ends abandoned at its journal's last record
        ...(open ? { interruptedEndedAt: open.records.at(-1)?.at } : {}),
      },
      o.as,
    );
    // a resumed run keeps the engine it started with, when its journal says which
    const did = (step: string) =>
      open?.records.some((x) => x.type === 'step-done' && x.step === step) === true;
    const inPlace = did('upgrade:maintenance-on') || (!did('upgrade:check-copy') && o.inPlace === true);
    const run = inPlace ? runUpgrade : runCopyUpgrade;
    const r: AnyUpgradeResult = await run({ ...s.engine, ctx: s.ctx({ ...facts }), access: s.access });
    if (byCopy(r)) await rereadConfSha(s.host, s.record.plan.target.root, r);
    await record(a, id, o.as, r);
    // issue 23: the upgrade's own backup leaves the server too, whatever the outcome
    if (r.backupStamp) await copyEngineBackupOffsite(a, s.record, s.host, r.backupStamp, o.as);
    a.out.result(summary(id, r), () => human(id, r));
    if (r.outcome !== 'upgraded')
      throw targetError(`${id}: upgrade ${r.outcome}: ${r.reason}`, { where: r.failedStep });
  } finally {
    await s.close();
  }
}

/**
 * Issue 19: an upgrade by copy rewrites the shared conf.php's database name at its switch (and a way back rewrites
 * it again): what is recorded is the file as the run left it, so the next upgrade does not take our own edit for a
 * hand edit.
 */
async function rereadConfSha(host: Host, root: string, r: CopyUpgradeResult): Promise<void> {
  const conf = targetLayout(root, root, 'unused').confPhp;
  const sum = await host.run({ sudo: true, argv: ['sha256sum', '--', conf] });
  const target = r.facts.target as { confSha256?: string } | undefined;
  if (sum.code === 0 && target) r.facts.target = { ...target, confSha256: sum.stdout.split(/\s+/)[0] };
}

async function record(a: AppContext, id: string, as: string | undefined, r: AnyUpgradeResult) {
  const downtimeSeconds = recordedDowntime(r.downtime?.downtimeSeconds, r.outage);
  const durationSeconds = r.durationMs / 1000;
  const upgrade = {
    previousRelease: r.previousRelease,
    newRelease: r.newRelease,
    backupStamp: r.backupStamp,
    steps: r.steps,
    rollbackSteps: r.rollbackSteps,
    downtime: r.downtime,
    outage: r.outage,
    runId: r.runId,
    resumed: r.resumed,
    outcome: r.outcome,
    reason: r.reason,
    // issue 19: what a rollback before writes needs (the old database, left whole; the one the site switched to,
    // which the next commands read back from the target's conf.php, never from here; the upgrade's stamp)
    ...(byCopy(r)
      ? {
          engine: 'copy',
          archiveDatabase: r.archiveDatabase,
          liveDatabase: r.liveDatabase,
          stamp: r.facts.stamp,
          writeUnavailable: r.writeUnavailable,
        }
      : { engine: 'in-place' }),
  };
  if (r.outcome === 'upgraded') {
    await a.act(
      id,
      'finish-run',
      {
        outcome: 'succeeded',
        durationSeconds,
        downtimeSeconds,
        note: `${r.previousRelease} -> ${r.newRelease}`,
      },
      as,
    );
    const target = r.facts.target as { confSha256?: string } | undefined;
    await a.act(id, 'record-facts', { upgrade, release: r.newRelease, confSha256: target?.confSha256 }, as);
    return;
  }
  // the engine decided to roll back: told to the stakeholders once, with the trigger that fired (Rollback Procedures)
  const decision = automaticRollbackDecision(r);
  if (decision)
    await recordRollbackDecision(a, id, decision, as).catch((e: Error) =>
      a.out.warn(`the automatic rollback decision was not recorded: ${e.message}`),
    );
  await a.act(id, 'finish-run', { outcome: 'failed', durationSeconds, downtimeSeconds, note: r.reason }, as);
  const record = (await (await a.store()).get(id))?.record;
  const bad = Array.isArray(record?.facts.badReleases) ? (record.facts.badReleases as string[]) : [];
  // the failure is recorded even when the evidence location cannot take the output (said as a warning)
  const evidence = r.output
    ? await outputEvidence(a, r).catch((e: Error) => {
        a.out.warn(`the upgrade's output was not stored as evidence: ${e.message}`);
        return undefined;
      })
    : undefined;
  await a.act(
    id,
    'record-facts',
    {
      lastFailedUpgrade: { ...upgrade, evidence },
      // every release that failed stays known as bad, not only the last one
      badReleases: [...bad.filter((x) => x !== r.newRelease), r.newRelease],
    },
    as,
  );
  if (r.outcome === 'rolled-back')
    await a.act(
      id,
      'rollback',
      { trigger: decision?.trigger ?? 'critical-functionality', reason: `automatic rollback: ${r.reason}` },
      as,
    );
}

/** The whole output of the failing command (Dolibarr's upgrade page), stored as evidence; the reason keeps the cause. */
function outputEvidence(a: AppContext, r: AnyUpgradeResult): Promise<Evidence> {
  const name = `${r.failedStep ?? 'upgrade'}-${r.runId}.txt`.replace(/[^\w.-]/g, '_');
  return a.storeEvidence(name, Buffer.from(r.output ?? ''));
}

const summary = (id: string, r: AnyUpgradeResult) => ({
  id,
  engine: byCopy(r) ? 'copy' : 'in-place',
  outcome: r.outcome,
  writeUnavailableSeconds: byCopy(r) ? r.writeUnavailable?.seconds : r.outage?.seconds,
  reason: r.reason,
  previousRelease: r.previousRelease,
  newRelease: r.newRelease,
  backupStamp: r.backupStamp,
  downtimeSeconds: recordedDowntime(r.downtime?.downtimeSeconds, r.outage),
  outage: r.outage,
  runId: r.runId,
  durationSeconds: r.durationMs / 1000,
  steps: r.steps,
  rollbackSteps: r.rollbackSteps,
});

function human(id: string, r: AnyUpgradeResult): string {
  const lines = [
    `${id}: ${r.outcome} (${r.previousRelease} -> ${r.newRelease}) in ${(r.durationMs / 1000).toFixed(1)} s, downtime ${recordedDowntime(r.downtime?.downtimeSeconds, r.outage) ?? '?'} s (run ${r.runId}${r.resumed ? ', resumed' : ''})`,
    byCopy(r)
      ? `by copy: writes unavailable ${r.writeUnavailable?.seconds ?? '?'} s (reads served throughout)${r.archiveDatabase && r.outcome === 'upgraded' ? `; the site uses ${r.liveDatabase}, the old database ${r.archiveDatabase} is kept whole for a rollback before writes` : ''}`
      : 'in place: the site was in maintenance while the database migrated',
  ];
  if (r.reason) lines.push(`reason: ${r.reason}`);
  for (const s of r.steps)
    lines.push(
      `  ${s.id.padEnd(34)} ${(s.ms / 1000).toFixed(2).padStart(7)} s${s.skipped ? ' (skipped)' : ''}`,
    );
  if (r.rollbackSteps)
    lines.push(
      'rollback:',
      ...r.rollbackSteps.map((s) => `  ${s.id.padEnd(34)} ${(s.ms / 1000).toFixed(2).padStart(7)} s`),
    );
  if (r.outcome === 'rolled-back')
    lines.push(
      `next: document the root cause: mokodeploy rollback-analysis ${id} --root-cause … --remediation …`,
    );
  return lines.join('\n');
}
