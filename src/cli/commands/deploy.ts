import type { CommandModule } from './module.js';
import type { AppContext } from '../../app/context.js';
import { loadRecord } from './records.js';
import { refuseOutsideWindow } from './window-check.js';
import { MokoError } from '../../core/errors.js';
import { Secret } from '../../core/secret.js';
import { evaluateGates } from '../../core/gates.js';
import { perform } from '../../core/perform.js';
import { operations } from '../../core/operations/index.js';
import type { DeploymentRecord } from '../../core/record.js';
import type { Actor } from '../../core/team.js';
import type { Host } from '../../hosts/host.js';
import { openHost } from '../../hosts/open.js';
import { SecretStore } from '../../store/secrets.js';
import type { StepContext } from '../../steps/step.js';
import {
  Journal,
  acquireLock,
  createReporter,
  releaseLock,
  runSteps,
  seconds,
  withoutSecrets,
  type Lock,
} from '../../runner/index.js';
import { adminLoginAfterRecovery } from '../../steps/restore/admin-login.js';
import { pipelineFor, type Pipeline } from '../../runner/pipelines.js';
import { describeTakeOver } from '../../runner/lock.js';
import { noticedSecrets, type NoticedSecrets } from '../secret-notice.js';
import { upgradeDeployment } from '../../app/engine/upgrade-run.js';
import { deployDataMigration } from '../../app/engine/migrate-deploy.js';
import { factOverridesOf, withEngineOptions, type EngineCliOptions } from '../../app/engine/setup.js';
import { recordForRun } from '../../package/ship.js';
import { dryRunRecord, releaseFactsForDryRun } from '../../package/dry-run.js';
import { shipOptions } from './package.js';
import { rotateApiKeys } from '../../integrations/api-rotate.js';
import { enqueueCommand, queueFlag, queued } from './worker-queue.js';
import type { Command } from 'commander';

interface DeployOptions extends EngineCliOptions {
  dryRun?: boolean;
  /** Issue 17: new keys for the plan's API connections (src/integrations/api-rotate.ts). */
  rotate?: boolean;
}

/** `mokodeploy deploy ID [--dry-run]`: phase 2 on the target (install or upgrade by the plan's kind), journaled, locked, with live progress. */
export const deployCommands: CommandModule = {
  register(program, app) {
    withEngineOptions(
      program
        .command('deploy <id>')
        .description(
          'run the deployment on its target with live progress (a new install resumes an interrupted run; an upgrade runs as `mokodeploy upgrade`); refused while a gate is open',
        ),
    )
      .option('--dry-run', 'print every command that would run, numbered, by step; change nothing')
      .option('--rotate', "new API keys for the plan's API connections (the old keys stop working during the run)")
      .addOption(queueFlag())
      .action(async (id: string, o: DeployOptions, cmd: Command) => {
        if (queued(cmd)) return enqueueCommand(app(), cmd);
        const a = app();
        const kind = (await loadRecord(a, id)).record.plan.kind;
        if (o.dryRun) await dryRun(a, id, o);
        else if (kind === 'upgrade' || kind === 'customization') await upgradeDeployment(a, id, o);
        else if (kind === 'data-migration') {
          await refuseOutsideWindow(a, id, { command: 'deploy' }); // issue 16: the approved window
          await deployDataMigration(a, id, o.as);
        } else await deploy(a, id, o.as, o.rotate === true);
      });
  },
};

/** The listing of what `deploy` (or `upgrade`) would run, changing nothing. */
export async function dryRun(a: AppContext, id: string, o: EngineCliOptions & { inPlace?: boolean }): Promise<void> {
  const { record: stored } = await loadRecord(a, id);
  const { record, facts: packageFacts } = dryRunRecord(stored, a.home); // issue 22: the package's paths and facts
  const journal = Journal.open({ storeDir: a.home, deploymentId: id, planHash: record.planHash });
  const host = openHost(record.plan.target);
  try {
    const missing = await releaseFactsForDryRun(host, record.plan, packageFacts); // not downloaded yet: a warning
    for (const w of missing.warnings) a.out.warn(w);
    const overrides = { ...factOverridesOf(o), ...factsFromRecord(a, record, true), ...packageFacts, ...missing.facts };
    if (o.inPlace) Object.assign(overrides, { inPlace: true }); // `upgrade --in-place --dry-run`
    const pipeline = pipelineFor(record.plan, overrides, await clientFacts(a, record)); // the facts the real run would use
    const facts = await pipeline.gatherFacts(host);
    // a dry run creates no secret: one not stored yet shows as a placeholder (values are never printed)
    const secrets = new SecretStore(a.home);
    const ctx = stepContext(a, record, facts, (name) =>
      secrets.has(name) ? secrets.get(name) : new Secret(`(new secret ${name})`),
    );
    const outcome = await runSteps({ host, steps: pipeline.steps(facts), ctx, journal, dryRun: true });
    const open =
      record.state === 'deploying'
        ? []
        : evaluateGates(record, 'deploying', { policy: a.policy(), now: a.now() }).open;
    for (const g of open) a.out.warn(`deploy would be refused: [${g.gate}] ${g.message} -> ${g.fix}`);
    const notes = releaseNotes(facts);
    a.out.result({ id, pipeline: pipeline.name, openGates: open, notes, warnings: missing.warnings, listing: outcome.listing }, () =>
      [...notes.map((n) => `note: ${n}`), outcome.listing ?? ''].join('\n'),
    );
  } finally {
    await host.close();
  }
}

async function deploy(a: AppContext, id: string, as?: string, rotate = false): Promise<void> {
  const actor = await a.actor(as);
  let { record } = await loadRecord(a, id);
  const journal = Journal.open({ storeDir: a.home, deploymentId: id, planHash: record.planHash });
  let pipeline = pipelineFor(record.plan, factsFromRecord(a, record, false), await clientFacts(a, record));
  await checkGates(a, record, actor);
  const host = openHost(record.plan.target);
  const { root, sudo } = record.plan.target;
  try {
    const lock = await acquireLock(
      { host, root, sudo },
      { person: actor.login, deploymentId: id, reason: `deploy ${id}` },
    );
    if (lock.tookOver) {
      a.out.warn(describeTakeOver(lock)); // stderr: whose lock, and what its run had left running
      await auditTakeOver(a, id, actor.login, lock);
    }
    const secrets = noticedSecrets(a, id, actor.login);
    let facts: Record<string, unknown>;
    try {
      await refuseOutsideWindow(a, id, { command: 'deploy' }); // issue 16: after role, gates and lock; before the target
      record = await recordForRun(host, record, shipOptions(a)); // issue 22: the approved package, verified on the target
      pipeline = pipelineFor(record.plan, factsFromRecord(a, record, false), await clientFacts(a, record));
      facts = await pipeline.gatherFacts(host);
      for (const n of releaseNotes(facts)) a.out.warn(n);
      // pre-flight (issue 14 point 1): every step planned before the record moves, so a refusal (a release
      // whose sha256 differs from the plan) leaves the record where it was and the target untouched
      const needed = await preflight(a, record, facts, journal, pipeline, host);
      for (const name of needed) secrets.secret(name); // generated now, announced and audited: never silently
      await secrets.flush();
      // issue 17: after the gates were checked (checkGates above), before the run; a plan without API connections is
      // refused here, the record unchanged
      if (rotate) await rotateApiKeys(a, id, actor.login, record.plan);
      await a.act(id, 'start-run', {}, as); // the gates: refused here, naming each open gate
    } catch (e) {
      await releaseLock(lock).catch(() => undefined);
      throw e;
    }
    await runRecorded({ a, id, as, host, record, lock, journal, pipeline, facts, secrets });
  } finally {
    await host.close();
  }
}

/** Plan every step with the facts (no command runs, no secret is created); returns the secrets the run needs. */
async function preflight(
  a: AppContext,
  record: DeploymentRecord,
  facts: Record<string, unknown>,
  journal: Journal,
  pipeline: Pipeline,
  host: Host,
): Promise<string[]> {
  const names = new Set<string>();
  const stored = new SecretStore(a.home);
  const ctx = stepContext(a, record, facts, (name) => {
    names.add(name);
    return stored.has(name) ? stored.get(name) : new Secret(`(new secret ${name})`);
  });
  await runSteps({ host, steps: pipeline.steps(facts), ctx, journal, dryRun: true });
  return [...names];
}

/** Facts the stored record gives a run besides its plan: where its plan file is, and for a recovery the off-server copies. */
function factsFromRecord(a: AppContext, record: DeploymentRecord, dryRun: boolean): Record<string, unknown> {
  return { ...offsiteCopiesOf(a, record, dryRun), ...planFileOf(record) };
}

/** A disaster recovery reaches the off-server backup copies in this store (issue 23); a dry run only checks them. */
function offsiteCopiesOf(a: AppContext, record: DeploymentRecord, dryRun: boolean): Record<string, unknown> {
  return record.plan.kind === 'disaster-recovery' ? { offsiteHome: a.home, offsiteDryRun: dryRun } : {};
}

/** Issue 17: the plan file the record came from, so a step's refusal can name file:line (an unknown API right). */
function planFileOf(record: DeploymentRecord): Record<string, unknown> {
  return record.planFile ? { planFile: record.planFile } : {};
}

/** What the release itself changes in the run, said before it starts (dry run and real run alike). */
function releaseNotes(facts: Record<string, unknown>): string[] {
  return facts.releaseHasCronScript === false && !facts.skipCron
    ? [
        "the release has no scripts/: Dolibarr's scheduled jobs will run through htdocs/public/cron/cron_run_jobs_by_url.php, called by cron as `curl -K FILE` (the key only in that 0600 file, never in argv)",
      ]
    : [];
}

interface Run {
  a: AppContext;
  id: string;
  as?: string;
  host: Host;
  record: DeploymentRecord;
  lock: Lock;
  journal: Journal;
  pipeline: Pipeline;
  facts: Record<string, unknown>;
  secrets: NoticedSecrets;
}

/** Run the pipeline and record its end (success or failure, with its duration) in the deployment. */
async function runRecorded(run: Run): Promise<void> {
  const { a, id, as, host, record, lock, journal, pipeline, facts, secrets } = run;
  const started = Date.now();
  const reporter = createReporter(a.out.json ? process.stderr : process.stdout);
  try {
    const ctx = stepContext(a, record, facts, (name) => secrets.secret(name));
    const outcome = await runSteps({
      host,
      steps: pipeline.steps(facts),
      ctx,
      journal,
      lock,
      events: reporter.onEvent,
    }).finally(() => secrets.flush());
    reporter.close();
    for (const w of outcome.warnings) a.out.warn(w);
    const lastRun = { facts: withoutSecrets(outcome.facts), outputs: withoutSecrets(outcome.outputs) };
    await a.act(id, 'record-facts', { lastRun }, as);
    const durationSeconds = outcome.durationMs / 1000;
    const r = await a.act(id, 'finish-run', { outcome: 'succeeded', durationSeconds }, as);
    const adminLogin = recoveredAdminLogin(record, facts); // issue 23: which password works after a recovery
    a.out.result(
      { id, state: r.state, durationSeconds, steps: outcome.steps, ...(adminLogin ? { adminLogin } : {}) },
      () =>
        [
          `${id}: deployed in ${seconds(outcome.durationMs)}; now ${r.state}`,
          ...(adminLogin ? [adminLogin] : []),
        ].join('\n'),
    );
  } catch (e) {
    reporter.close();
    const note = e instanceof MokoError ? e.message : String(e);
    await a.act(
      id,
      'finish-run',
      { outcome: 'failed', durationSeconds: (Date.now() - started) / 1000, note },
      as,
    );
    throw e;
  }
}

/** The gates and the role first, pure: a refused deploy touches neither the target nor the record. */
async function checkGates(a: AppContext, record: DeploymentRecord, actor: Actor): Promise<void> {
  try {
    perform(operations['start-run'], record, {}, { policy: a.policy(), now: a.now(), actor, warnings: [] });
  } catch (e) {
    if (e instanceof MokoError && e.security) await a.recordRefusal(e, actor.login, 'start-run', record.id);
    throw e;
  }
}

function stepContext(
  a: AppContext,
  record: DeploymentRecord,
  facts: Record<string, unknown>,
  secret: (name: string) => Secret,
): StepContext {
  return { plan: record.plan, policy: a.policy(), facts, outputs: {}, secret };
}

async function auditTakeOver(a: AppContext, id: string, login: string, lock: Lock): Promise<void> {
  await (
    await a.store()
  ).appendAudit({
    at: a.now().toISOString(),
    actor: login,
    role: '-',
    action: 'lock-take-over',
    deploymentId: id,
    summary: describeTakeOver(lock),
    before: lock.tookOver ?? null,
    after: { ...lock.owner, orphansStopped: lock.orphansStopped ?? [] },
  });
}

/** The facts of every record of the deployment's client: where `mokodeploy backup` recorded each backup's manifest. */
async function clientFacts(a: AppContext, record: DeploymentRecord): Promise<Record<string, unknown>[]> {
  if (record.plan.kind !== 'disaster-recovery') return [];
  const all = await (await a.store()).all();
  return all.filter((r) => r.plan.client === record.plan.client).map((r) => r.facts);
}

function recoveredAdminLogin(record: DeploymentRecord, facts: Record<string, unknown>): string | undefined {
  if (record.plan.kind !== 'disaster-recovery') return undefined;
  return adminLoginAfterRecovery(
    record.plan,
    typeof facts.backupStamp === 'string' ? facts.backupStamp : undefined,
  );
}
