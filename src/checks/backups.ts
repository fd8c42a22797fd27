import type { Check, CheckContext, Finding } from './finding.js';
import { ask, type ProbeRequest } from './probe.js';
import { finding, unknown } from './result.js';

const defaultCronPaths = [
  '/etc/crontab',
  '/etc/cron.d',
  '/etc/cron.daily',
  '/etc/cron.hourly',
  '/var/spool/cron/crontabs',
];

// grep: 0 = matches, 1 = none, 2 = some path missing (others still searched)
function cronProbe(ctx: CheckContext): ProbeRequest {
  const planned = ctx.plan.target.cronDir ? [ctx.plan.target.cronDir] : []; // where mokodeploy writes its cron entry
  const paths = ctx.options?.cronPaths ?? [...new Set([...defaultCronPaths, ...planned])];
  return { command: { argv: ['grep', '-rlis', '--', 'backup', ...paths], sudo: true }, okCodes: [0, 1, 2] };
}

const timersProbe: ProbeRequest = {
  command: { argv: ['systemctl', 'list-timers', '--all', '--no-legend', '--no-pager'] },
};

const filesProbe = (ctx: CheckContext): ProbeRequest => ({
  command: {
    argv: [
      'find',
      ctx.plan.target.backupRoot,
      '-mindepth',
      '1',
      '-maxdepth',
      '3',
      '-type',
      'f',
      '-printf',
      '%T@ %p\\n',
    ],
    sudo: true,
  },
  okCodes: [0, 1],
});

/** Every probe of this check: cron files, systemd timers (unless cron paths are given), backup files. */
const backupProbes = (ctx: CheckContext): ProbeRequest[] => [
  cronProbe(ctx),
  ...(ctx.options?.cronPaths ? [] : [timersProbe]),
  filesProbe(ctx),
];

/** Where a scheduled backup is declared: a cron file or a systemd timer mentioning "backup". */
async function findSchedule(ctx: CheckContext): Promise<{ found: string[]; reasons: string[] }> {
  const found: string[] = [];
  const reasons: string[] = [];
  const cron = await ask(ctx, cronProbe(ctx));
  if (cron.ok)
    found.push(
      ...cron.stdout
        .split('\n')
        .filter(Boolean)
        .map((f) => `cron ${f}`),
    );
  else reasons.push(cron.reason);
  if (!ctx.options?.cronPaths) {
    const timers = await ask(ctx, timersProbe);
    if (timers.ok)
      found.push(
        ...timers.stdout
          .split('\n')
          .filter((l) => /backup/i.test(l))
          .map(
            (l) =>
              `timer ${
                l
                  .trim()
                  .split(/\s+/)
                  .find((w) => /\.timer$/.test(w)) ?? l.trim()
              }`,
          ),
      );
    else reasons.push(timers.reason);
  }
  return { found, reasons };
}

/** Policy "Backups configured and tested": a schedule exists and target.backupRoot has a recent backup. */
export const backupsCheck: Check = {
  id: 'backups',
  title: 'Backups configured',
  policyRef: 'env.security.backups',
  probes: backupProbes,
  async run(ctx) {
    const maxHours = ctx.policy.environment.security.backupMaxAgeHours;
    const out: Finding[] = [];
    const schedule = await findSchedule(ctx);
    const scheduleThreshold = 'a cron entry or systemd timer that runs a backup';
    if (schedule.found.length > 0)
      out.push(finding(this, 'pass', schedule.found.join(', '), scheduleThreshold, { idSuffix: 'schedule' }));
    else if (schedule.reasons.length === 2 || (ctx.options?.cronPaths && schedule.reasons.length === 1))
      out.push(unknown(this, scheduleThreshold, schedule.reasons.join('; '), 'schedule'));
    else
      out.push(
        finding(this, 'fail', 'no scheduled backup found', scheduleThreshold, {
          idSuffix: 'schedule',
          detail: schedule.reasons.join('; '),
          remediation: 'schedule the backup (cron or systemd timer) that writes to target.backupRoot',
        }),
      );

    const dir = ctx.plan.target.backupRoot;
    const recentThreshold = `newest file in ${dir} younger than ${maxHours} h`;
    const files = await ask(ctx, filesProbe(ctx));
    if (!files.ok) {
      out.push(
        /No such file/.test(files.reason)
          ? finding(this, 'fail', `${dir} does not exist`, recentThreshold, {
              idSuffix: 'recent',
              remediation: 'run a backup now and check it lands in target.backupRoot',
            })
          : unknown(this, recentThreshold, files.reason, 'recent'),
      );
      return out;
    }
    const newest = files.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => ({ t: Number(l.split(' ')[0]) * 1000, path: l.slice(l.indexOf(' ') + 1) }))
      .sort((a, b) => b.t - a.t)[0];
    if (!newest) {
      out.push(
        finding(this, 'fail', `no backup files in ${dir}`, recentThreshold, {
          idSuffix: 'recent',
          remediation: 'run a backup now',
        }),
      );
      return out;
    }
    const ageHours = (ctx.now.getTime() - newest.t) / 3_600_000;
    const observed = `${newest.path}, ${ageHours.toFixed(1)} h old`;
    out.push(
      ageHours <= maxHours
        ? finding(this, 'pass', observed, recentThreshold, { idSuffix: 'recent' })
        : finding(this, 'fail', observed, recentThreshold, {
            idSuffix: 'recent',
            remediation: 'the scheduled backup is not running: check its logs, then run one now',
          }),
    );
    return out;
  },
};
