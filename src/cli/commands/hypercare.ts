import { writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CommandModule } from './module.js';
import { loadRecord } from './records.js';
import { inputError, refused } from '../../core/errors.js';
import {
  checkInSummary,
  renderCron,
  renderSystemdService,
  renderSystemdTimer,
  type ScheduleInput,
} from '../../verify/hypercare.js';
import { caAlias, describeRun, verifyDeployment, type VerifyFlags } from './verify.js';

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
        .option('--only <checks>', 'comma-separated check ids'),
    ).action(async (id: string, f: VerifyFlags) => {
      const a = app();
      const { record } = await loadRecord(a, id);
      if (!record.support)
        throw refused(`${id} is ${record.state}: hypercare starts at go-live`, {
          fix: `verify before go-live with: mokodeploy verify ${id}`,
        });
      const run = await verifyDeployment(a, id, f);
      const summary = checkInSummary(run.outcome);
      await a.act(id, 'support-checkin', { summary, source: 'scheduled-verification' }, f.as);
      a.out.result(
        { id, checkIn: summary, items: run.outcome.items },
        () => `${describeRun(a, id, run)}\ncheck-in recorded: ${summary}`,
      );
      if (run.outcome.failing.length > 0) process.exitCode = 1;
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
        .option('--bin <path>', 'the mokodeploy executable', resolve(process.argv[1] ?? 'mokodeploy')),
    ).action(
      async (
        id: string,
        f: VerifyFlags & { format: string; dir?: string; at: string; user: string; bin: string },
      ) => {
        const a = app();
        const { record } = await loadRecord(a, id);
        if (!['cron', 'systemd'].includes(f.format))
          throw inputError(`--format must be cron or systemd, got "${f.format}"`);
        if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(f.at))
          throw inputError(`--at must be HH:MM (UTC), got "${f.at}"`);
        const start = record.support ? new Date(record.support.hypercareStart) : a.now();
        const as = f.as ?? record.plan.people['technical-lead'];
        const env: Record<string, string> = {
          MOKODEPLOY_HOME: a.home,
          ...(process.env.MOKODEPLOY_TEAM ? { MOKODEPLOY_TEAM: resolve(process.env.MOKODEPLOY_TEAM) } : {}),
          ...(process.env.MOKODEPLOY_SECRET_KEY_FILE
            ? { MOKODEPLOY_SECRET_KEY_FILE: resolve(process.env.MOKODEPLOY_SECRET_KEY_FILE) }
            : {}),
        };
        const s: ScheduleInput = {
          id,
          start,
          days: a.policy().support.dailyCheckInDays,
          at: f.at,
          argv: [process.execPath, f.bin, 'hypercare', 'run', id, '--as', as, ...verifyArgs(f)],
          env,
          user: f.user,
          log: join(a.home, `hypercare-${id}.log`),
        };
        const name = `mokodeploy-hypercare-${id}`;
        const files: Record<string, string> =
          f.format === 'cron'
            ? { [join(f.dir ?? '/etc/cron.d', name)]: renderCron(s) }
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
