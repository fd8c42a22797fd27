import { writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { isPostgresUrl } from '../../queue/url.js';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CommandModule } from './module.js';
import { loadRecord } from './records.js';
import { inputError, refused } from '../../core/errors.js';
import { defaultAuditKeyFile } from '../../audit/signing-key.js';
import { defaultKeyFile } from '../../store/secrets.js';
import type { AppContext } from '../../app/context.js';
import type { DeploymentRecord } from '../../core/record.js';
import {
  checkInSummary,
  hypercarePeriod,
  placeInPeriod,
  renderCron,
  scheduleEnvironment,
  renderSystemdService,
  renderSystemdTimer,
  type ScheduleInput,
} from '../../verify/hypercare.js';
import { caAlias, describeRun, verifyDeployment, type VerifyFlags } from './verify.js';
import { enqueueCommand, queueFlag, queued } from './worker-queue.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** The verify options a scheduled run needs too (the site's CA, address, logs, …). */
function withVerifyOptions(cmd: Command): Command {
  return cmd
    .option('--ca-file <pem>', "PEM CA the site's certificate chains to")
    .addOption(caAlias())
    .option('--address <ip>', "connect to this address instead of resolving the site's name")
    .option('--log <file>', 'a log file to scan (repeatable)', collect)
    .option('--cron-dir <dir>', 'where our cron files are on the target')
    .option('--backup-cron <path>', 'where to look for the backup schedule (repeatable)', collect)
    .option('--loads <n>', 'loads per key page (default 10)');
}

function verifyArgs(f: VerifyFlags): string[] {
  const out: string[] = [];
  const ca = f.caFile ?? f.ca;
  if (ca) out.push('--ca-file', resolve(ca));
  if (f.address) out.push('--address', f.address);
  for (const l of f.log ?? []) out.push('--log', l);
  if (f.cronDir) out.push('--cron-dir', f.cronDir);
  for (const b of f.backupCron ?? []) out.push('--backup-cron', b);
  if (f.loads) out.push('--loads', f.loads);
  return out;
}

const periodOf = (a: AppContext, r: DeploymentRecord) =>
  hypercarePeriod(r.support!, a.policy().support.dailyCheckInDays);

/** Outside the hypercare period a scheduled run does nothing and says so (cron lines have no year). */
function insidePeriod(a: AppContext, record: DeploymentRecord, scheduleFile?: string): boolean {
  const p = periodOf(a, record);
  const where = placeInPeriod(p, a.now());
  if (where === 'inside' || where === 'last-day') return true;
  const span = `${p.start.toISOString().slice(0, 10)} to ${p.end.toISOString().slice(0, 10)}`;
  a.out.line(
    `${record.id}: ${a.now().toISOString()} is ${where === 'before' ? 'before' : 'after'} its hypercare (${span}): nothing done`,
  );
  if (where === 'after') removeSchedule(a, scheduleFile);
  return false;
}

function removeSchedule(a: AppContext, file?: string): void {
  // only a file `hypercare schedule` names: --schedule-file is not a way to delete anything else
  if (!file || !basename(file).startsWith('mokodeploy-hypercare-')) return;
  rmSync(file, { force: true });
  a.out.line(`hypercare check-ins are over: removed ${file}`);
}

export const hypercareCommands: CommandModule = {
  register(program, app) {
    const hc = program
      .command('hypercare')
      .description('hypercare check-ins as scheduled verification runs (policy "Support Transition")');
    withVerifyOptions(
      hc
        .command('run <id>')
        .description('verify the live site and keep the summary as a check-in')
        .option('--as <login>', 'who acts (technical lead)')
        .option('--only <checks>', 'comma-separated check ids')
        .option(
          '--schedule-file <path>',
          'the cron file that runs this (written by `hypercare schedule`): removed once hypercare is over',
        )
        .addOption(queueFlag()),
    ).action(async (id: string, f: VerifyFlags & { scheduleFile?: string }, cmd: Command) => {
      if (queued(cmd)) return enqueueCommand(app(), cmd);
      const a = app();
      const { record } = await loadRecord(a, id);
      if (!record.support)
        throw refused(`${id} is ${record.state}: hypercare starts at go-live`, {
          fix: `verify before go-live with: mokodeploy verify ${id}`,
        });
      if (!insidePeriod(a, record, f.scheduleFile)) return;
      const run = await verifyDeployment(a, id, f);
      const summary = checkInSummary(run.outcome);
      await a.act(id, 'support-checkin', { summary, source: 'scheduled-verification' }, f.as);
      a.out.result(
        { id, checkIn: summary, items: run.outcome.items },
        () => `${describeRun(a, id, run)}\ncheck-in recorded: ${summary}`,
      );
      if (run.outcome.failing.length > 0) process.exitCode = 1;
      if (placeInPeriod(periodOf(a, record), a.now()) === 'last-day') removeSchedule(a, f.scheduleFile);
    });
    withVerifyOptions(
      hc
        .command('schedule <id>')
        .description(
          'write a cron file (or systemd timer) running `hypercare run` daily in the first week after go-live',
        )
        .option('--format <kind>', 'cron | systemd', 'cron')
        .option('--dir <dir>', 'where to write (default /etc/cron.d or /etc/systemd/system)')
        .option('--at <HH:MM>', 'time of day, UTC', '07:00')
        .option('--user <name>', 'system user the runs execute as', 'root')
        .option('--as <login>', 'who the runs act as (default: the plan technical lead)')
        .option('--only <checks>', 'comma-separated check ids each run verifies (default: all)')
        .option('--bin <path>', 'the mokodeploy executable', resolve(process.argv[1] ?? 'mokodeploy')),
    ).action(
      async (
        id: string,
        f: VerifyFlags & {
          format: string;
          dir?: string;
          at: string;
          user: string;
          bin: string;
          only?: string;
        },
      ) => {
        const a = app();
        const { record } = await loadRecord(a, id);
        if (!['cron', 'systemd'].includes(f.format))
          throw inputError(`--format must be cron or systemd, got "${f.format}"`);
        if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(f.at))
          throw inputError(`--at must be HH:MM (UTC), got "${f.at}"`);
        // the scheduled run refuses a deployment not live yet: refuse now, not on the first morning
        if (!record.support)
          throw refused(`${id} is ${record.state}: hypercare starts at go-live, nothing to schedule yet`, {
            fix: `finish the sign-offs, then: mokodeploy golive ${id}; then schedule the check-ins`,
          });
        const start = new Date(record.support.hypercareStart);
        const as = f.as ?? record.plan.people['technical-lead'];
        const env = scheduleEnvironment({
          home: a.home,
          teamFile: a.team().file,
          secretKeyFile: resolve(defaultKeyFile()),
          auditKeyFile: resolve(defaultAuditKeyFile()),
          env: process.env,
          // a PostgreSQL store: the check-ins must open it too, not the SQLite file in the home
          store: isPostgresUrl((await a.store()).location) ? (await a.store()).location : undefined,
          evidence: a.childEnv().MOKODEPLOY_EVIDENCE ?? process.env.MOKODEPLOY_EVIDENCE,
        });
        const name = `mokodeploy-hypercare-${id}`;
        const cronFile = join(f.dir ?? '/etc/cron.d', name);
        const only = f.only ? ['--only', f.only] : [];
        const s: ScheduleInput = {
          id,
          start,
          days: a.policy().support.dailyCheckInDays,
          at: f.at,
          argv: [
            process.execPath,
            f.bin,
            'hypercare',
            'run',
            id,
            '--as',
            as,
            ...verifyArgs(f),
            ...only,
            // systemd timers carry full dates; cron lines do not: the run removes its file when hypercare is over
            ...(f.format === 'cron' ? ['--schedule-file', resolve(cronFile)] : []),
          ],
          env,
          user: f.user,
          log: join(a.home, `hypercare-${id}.log`),
        };
        const files: Record<string, string> =
          f.format === 'cron'
            ? { [cronFile]: renderCron(s) }
            : {
                [join(f.dir ?? '/etc/systemd/system', `${name}.service`)]: renderSystemdService(s),
                [join(f.dir ?? '/etc/systemd/system', `${name}.timer`)]: renderSystemdTimer(s),
              };
        for (const [path, content] of Object.entries(files)) {
          mkdirSync(resolve(path, '..'), { recursive: true });
          writeFileSync(path, content, { mode: 0o644 });
        }
        const next =
          f.format === 'systemd'
            ? `\nthen: systemctl daemon-reload && systemctl enable --now ${name}.timer`
            : '';
        a.out.result(
          { id, files: Object.keys(files), days: s.days, at: f.at },
          () =>
            `wrote ${Object.keys(files).join(', ')}: ${s.days} daily runs at ${f.at} UTC from ${start.toISOString().slice(0, 10)} (+1 day)${next}`,
        );
      },
    );
  },
};
