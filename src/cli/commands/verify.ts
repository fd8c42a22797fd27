import { readFileSync } from 'node:fs';
import { Option } from 'commander';
import type { CommandModule } from './module.js';
import type { AppContext } from '../../app/context.js';
import { loadRecord } from './records.js';
import { inputError } from '../../core/errors.js';
import { unpassedVerificationItems } from '../../core/gates.js';
import type { DeploymentRecord } from '../../core/record.js';
import { openHost } from '../../hosts/open.js';
import { SecretStore } from '../../store/secrets.js';
import { makeVerifyContext, type VerifyOptions } from '../../verify/context.js';
import { pickChecks, runVerification, type VerificationOutcome } from '../../verify/run.js';
import { criticalFailure } from '../../verify/critical.js';
import { respondToCriticalFailure, type Response } from '../../verify/respond.js';
import { checkLine, itemsTable } from '../../verify/format.js';
import { policyItems } from '../../verify/summary.js';
import { enqueueCommand, queueFlag, queued } from './worker-queue.js';
import type { Command } from 'commander';

export interface VerifyFlags {
  as?: string;
  /** --ca-file, as deploy/upgrade/rollback name it; `ca` is the old --ca, kept as a hidden alias. */
  caFile?: string;
  ca?: string;
  address?: string;
  log?: string[];
  cronDir?: string;
  backupCron?: string[];
  loads?: string;
  only?: string;
  php?: string;
  mailTo?: string;
  /** A stand-alone php-fpm's pid file, for an automatic rollback (as the engine commands' --fpm-pid). */
  fpmPid?: string;
}

export interface VerifyRun {
  record: DeploymentRecord;
  outcome: VerificationOutcome;
  unpassed: string[];
  response?: Response;
}

function readCa(path?: string): Buffer | undefined {
  if (!path) return undefined;
  try {
    return readFileSync(path);
  } catch (e) {
    throw inputError(`cannot read the CA file: ${(e as NodeJS.ErrnoException).code}`, {
      where: path,
      fix: 'give a PEM file',
    });
  }
}

export function verifyOptions(f: VerifyFlags): VerifyOptions {
  const loads = f.loads === undefined ? undefined : Number(f.loads);
  if (loads !== undefined && !(Number.isInteger(loads) && loads > 0))
    throw inputError(`--loads must be a positive whole number, got "${f.loads}"`);
  const caFile = f.caFile ?? f.ca;
  return {
    ca: readCa(caFile),
    caFile,
    address: f.address,
    logFiles: f.log?.length ? f.log : undefined,
    cronDir: f.cronDir,
    cronPaths: f.backupCron?.length ? f.backupCron : undefined,
    loads,
    php: f.php,
    mailTo: f.mailTo,
  } as VerifyOptions;
}

/** Run every check against the deployment's site and server, record the results, answer a critical failure. */
export async function verifyDeployment(a: AppContext, id: string, f: VerifyFlags): Promise<VerifyRun> {
  const only = f.only?.split(',').map((s) => s.trim());
  pickChecks(only); // a wrong --only is refused before anything is opened
  await a.actor(f.as);
  const { record } = await loadRecord(a, id);
  const secrets = new SecretStore(a.home);
  const host = openHost(record.plan.target);
  const options = Object.fromEntries(
    Object.entries(verifyOptions(f)).filter(([, v]) => v !== undefined),
  ) as VerifyOptions;
  try {
    const ctx = makeVerifyContext({
      plan: record.plan,
      policy: a.policy(),
      host,
      now: a.now(),
      record,
      secret: (n) => secrets.get(n),
      options,
    });
    a.out.line(`verifying ${id} at ${record.plan.site.url}`);
    const outcome = await runVerification(ctx, {
      only,
      onResult: (r) => a.out.line(checkLine(r)),
    });
    const updated = await a.act(
      id,
      'record-verification',
      { source: 'automated', results: outcome.items },
      f.as,
    );
    const unpassed = unpassedVerificationItems(updated, a.policy());
    const failure = criticalFailure(updated, outcome.items, a.now());
    const response = failure?.inWindow
      ? await respondToCriticalFailure(a, updated, failure, {
          host,
          as: f.as,
          site: ctx.site,
          secret: (n) => secrets.get(n),
          phpReload: f.fpmPid ? { kind: 'pidfile', path: f.fpmPid } : undefined,
        })
      : undefined;
    return { record: updated, outcome, unpassed, response };
  } finally {
    await host.close();
  }
}

export function describeRun(a: AppContext, id: string, run: VerifyRun): string {
  const labels = new Map(policyItems(a.policy()).map((i) => [i.id, i.label]));
  const lines = [
    `\n${id}: ${run.outcome.failing.length === 0 ? 'verification passed' : `${run.outcome.failing.length} item(s) FAILED`} (${Math.round(run.outcome.durationMs / 1000)} s)`,
    itemsTable(run.outcome.items, labels),
  ];
  if (run.unpassed.length > 0) {
    lines.push(`technical sign-off stays closed until these pass: ${run.unpassed.join(', ')}`);
    for (const i of run.outcome.items.filter((x) => run.unpassed.includes(x.id) && x.detail))
      lines.push(`  ${i.id}: ${i.detail}`);
  } else
    lines.push(
      `every required item passed: the technical lead may sign off (mokodeploy signoff ${id} technical)`,
    );
  if (run.response) lines.push(run.response.message);
  return lines.join('\n');
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** The old name of --ca-file, still accepted (hidden from the help). */
export const caAlias = () => new Option('--ca <pem>').hideHelp();

export const verifyCommands: CommandModule = {
  register(program, app) {
    program
      .command('verify <id>')
      .description(
        'run the post-deployment verification checklist against the live site and server, and record it',
      )
      .option('--as <login>', 'who acts (technical lead or QA)')
      .option('--ca-file <pem>', "PEM CA the site's certificate chains to (private or pre-launch sites)")
      .addOption(caAlias())
      .option('--address <ip>', "connect to this address instead of resolving the site's name")
      .option(
        '--log <file>',
        'a log file to scan for errors (repeatable; default: the usual web/PHP/Dolibarr logs)',
        collect,
      )
      .option('--cron-dir <dir>', 'where our cron files are on the target (default /etc/cron.d)')
      .option('--backup-cron <path>', 'where to look for the backup schedule (repeatable)', collect)
      .option('--loads <n>', 'loads per key page for the timing check (default 10)')
      .option('--only <checks>', 'comma-separated check ids (records only those items)')
      .option('--php <binary>', 'php-cli on the target (default php)')
      .option('--mail-to <address>', 'where the test mail goes (default: plan email.testRecipient)')
      .option(
        '--fpm-pid <file>',
        'for an automatic rollback: reload a stand-alone php-fpm by its pid file instead of systemctl',
      )
      .addOption(queueFlag())
      .action(async (id: string, f: VerifyFlags, cmd: Command) => {
        if (queued(cmd)) return enqueueCommand(app(), cmd);
        const a = app();
        const run = await verifyDeployment(a, id, f);
        a.out.result(
          {
            id,
            state: run.record.state,
            items: run.outcome.items,
            checks: run.outcome.checks,
            unpassed: run.unpassed,
            response: run.response,
          },
          () => describeRun(a, id, run),
        );
        if (run.outcome.failing.length > 0) process.exitCode = 1;
      });
  },
};
