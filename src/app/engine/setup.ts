import { readFileSync } from 'node:fs';
import type { AppContext } from '../context.js';
import { MokoError, notFound } from '../../core/errors.js';
import { perform } from '../../core/perform.js';
import { operations, type OperationName } from '../../core/operations/index.js';
import type { DeploymentRecord } from '../../core/record.js';
import type { Host } from '../../hosts/host.js';
import { openHost } from '../../hosts/open.js';
import { createReporter, type Reporter } from '../../runner/index.js';
import { noticedSecrets } from '../../cli/secret-notice.js';
import type { StepContext } from '../../steps/step.js';
import type { EngineContext } from '../../steps/upgrade/engine-run.js';
import type { SiteAccess } from '../../steps/upgrade/health.js';
import type { PhpReload } from '../../steps/upgrade/context.js';

/** Options every engine command (backup, upgrade, rollback, rehearse) takes. */
export interface EngineCliOptions {
  as?: string;
  address?: string;
  caFile?: string;
  /** A stand-alone php-fpm's pid file: reload with USR2 instead of systemctl (no systemd on the target). */
  fpmPid?: string;
}

export interface EngineSetup {
  record: DeploymentRecord;
  host: Host;
  engine: EngineContext;
  access: SiteAccess;
  /** A StepContext for the record's plan with the given facts. */
  ctx(facts: Record<string, unknown>): StepContext;
  /** Fact overrides from the options (how PHP-FPM is reloaded). */
  factOverrides: { serviceManager?: 'none'; phpReload?: PhpReload };
  reporter: Reporter;
  close(): Promise<void>;
}

/** Open what an engine command needs: the record, its target's host, secrets, progress on stderr (stdout stays for the result). */
export async function engineSetup(app: AppContext, id: string, o: EngineCliOptions): Promise<EngineSetup> {
  const actor = await app.actor(o.as);
  const found = await (await app.store()).get(id);
  if (!found) throw notFound(`no deployment ${id}`, { fix: 'list them with: mokodeploy list' });
  const record = found.record;
  const host = openHost(record.plan.target);
  const secrets = noticedSecrets(app, id, actor.login); // a generated secret is named and audited, never silent
  const reporter = createReporter(process.stderr);
  const policy = app.policy();
  return {
    record,
    host,
    engine: {
      host,
      ctx: { plan: record.plan, policy, facts: {}, outputs: {} },
      storeDir: app.home,
      deploymentId: id,
      planHash: record.planHash,
      person: actor.login,
      events: reporter.onEvent,
    },
    access: { address: o.address, ca: o.caFile ? readFileSync(o.caFile) : undefined },
    ctx: (facts) => ({
      plan: record.plan,
      policy,
      facts,
      outputs: {},
      secret: (name) => secrets.secret(name),
    }),
    factOverrides: factOverridesOf(o),
    reporter,
    async close() {
      reporter.close();
      await secrets.flush();
      await host.close();
    },
  };
}

/** Facts the options give: a stand-alone php-fpm (no systemd) is reloaded by its pid file. */
export function factOverridesOf(o: EngineCliOptions): EngineSetup['factOverrides'] {
  return o.fpmPid ? { serviceManager: 'none', phpReload: { kind: 'pidfile', path: o.fpmPid } } : {};
}

/** Commander options shared by the engine commands. */
export function withEngineOptions<T extends { option(flags: string, description: string): T }>(
  command: T,
): T {
  return command
    .option('--as <login>', 'who acts')
    .option(
      '--address <ip>',
      'reach the site at this address (DNS not public yet) for the health check and the downtime probe',
    )
    .option('--ca-file <pem>', 'trust this CA for the site (private CA)')
    .option('--fpm-pid <file>', 'reload a stand-alone php-fpm by its pid file instead of systemctl');
}

/**
 * Issue 13 "state before work": the operation an engine command ends with (start-run, rollback), tried on the
 * record without saving it — the state machine, the gates and the role — before the first command on the target.
 */
export async function checkBeforeWork(
  a: AppContext,
  record: DeploymentRecord,
  op: OperationName,
  input: unknown,
  as?: string,
): Promise<void> {
  const actor = await a.actor(as);
  try {
    perform(operations[op], record, input, { policy: a.policy(), now: a.now(), actor, warnings: [] });
  } catch (e) {
    if (e instanceof MokoError && e.security) await a.recordRefusal(e, actor.login, op, record.id);
    throw e;
  }
}
