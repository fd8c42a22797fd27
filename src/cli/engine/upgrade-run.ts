import type { AppContext } from '../app.js';
import { refused, targetError } from '../../core/errors.js';
import { gatherUpgradeFacts } from '../../steps/upgrade/facts.js';
import { runUpgrade, type UpgradeResult } from '../../steps/upgrade/run-upgrade.js';
import { engineSetup, type EngineCliOptions } from './setup.js';

/**
 * The upgrade of issue 5 on the deployment's target (steps/upgrade/), recorded as a run (start-run checks the
 * gates, backup-verified among them); a failed upgrade rolls itself back and is recorded as a rollback with its
 * reason, the failed release marked bad. Both `mokodeploy upgrade` and `mokodeploy deploy` of an upgrade plan run it.
 */
export async function upgradeDeployment(a: AppContext, id: string, o: EngineCliOptions): Promise<void> {
  const s = await engineSetup(a, id, o);
  try {
    if (s.record.plan.kind !== 'upgrade' && s.record.plan.kind !== 'customization')
      throw refused(`${id} is a "${s.record.plan.kind}" deployment, not an upgrade or a customization`, {
        fix: 'plan an upgrade (kind: upgrade)',
      });
    const facts = await gatherUpgradeFacts(s.host, s.record.plan, s.factOverrides);
    const lastConf = s.record.facts.confSha256;
    if (typeof lastConf === 'string' && lastConf !== facts.target.confSha256)
      a.out.warn(
        `conf.php changed since the last deployment (sha256 ${String(facts.target.confSha256).slice(0, 12)}…, recorded ${lastConf.slice(0, 12)}…): it is carried over as it is; check the hand edit`,
      );
    await a.act(
      id,
      'start-run',
      { note: `${s.record.plan.kind} ${facts.target.dbVersion} -> ${s.record.plan.dolibarr.version}` },
      o.as,
    );
    const r = await runUpgrade({ ...s.engine, ctx: s.ctx({ ...facts }), access: s.access });
    await record(a, id, o.as, r);
    a.out.result(summary(id, r), () => human(id, r));
    if (r.outcome !== 'upgraded')
      throw targetError(`${id}: upgrade ${r.outcome}: ${r.reason}`, { where: r.failedStep });
  } finally {
    await s.close();
  }
}

async function record(a: AppContext, id: string, as: string | undefined, r: UpgradeResult) {
  const downtimeSeconds = r.downtime?.downtimeSeconds;
  const durationSeconds = r.durationMs / 1000;
  const upgrade = {
    previousRelease: r.previousRelease,
    newRelease: r.newRelease,
    backupStamp: r.backupStamp,
    steps: r.steps,
    rollbackSteps: r.rollbackSteps,
    downtime: r.downtime,
    outcome: r.outcome,
    reason: r.reason,
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
  await a.act(id, 'finish-run', { outcome: 'failed', durationSeconds, downtimeSeconds, note: r.reason }, as);
  await a.act(id, 'record-facts', { lastFailedUpgrade: upgrade, badReleases: [r.newRelease] }, as);
  if (r.outcome === 'rolled-back')
    await a.act(
      id,
      'rollback',
      { trigger: 'critical-functionality', reason: `automatic rollback: ${r.reason}` },
      as,
    );
}

const summary = (id: string, r: UpgradeResult) => ({
  id,
  outcome: r.outcome,
  reason: r.reason,
  previousRelease: r.previousRelease,
  newRelease: r.newRelease,
  backupStamp: r.backupStamp,
  downtimeSeconds: r.downtime?.downtimeSeconds,
  durationSeconds: r.durationMs / 1000,
  steps: r.steps,
  rollbackSteps: r.rollbackSteps,
});

function human(id: string, r: UpgradeResult): string {
  const lines = [
    `${id}: ${r.outcome} (${r.previousRelease} -> ${r.newRelease}) in ${(r.durationMs / 1000).toFixed(1)} s, downtime ${r.downtime?.downtimeSeconds ?? '?'} s`,
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
