import type { Check, CheckContext, Finding } from './finding.js';
import { ask, type ProbeRequest } from './probe.js';
import { finding, unknown } from './result.js';
import { backsUpClient, timerBacksUpClient } from './backup-entry.js';
import { backupStampPattern } from '../backup/layout.js';
import { liveConfPhp, parseLiveDatabase, printDbName } from '../backup/live-database.js';

/** <backupRoot>/<stamp>/SHA256SUMS: the manifest a backup run writes last, its record that it completed. */
function isCompleteManifest(root: string, path: string): boolean {
  const rest = path.startsWith(`${root.replace(/\/+$/, '')}/`)
    ? path.slice(root.replace(/\/+$/, '').length + 1)
    : '';
  const [stamp = '', name, ...more] = rest.split('/');
  return backupStampPattern.test(stamp) && name === 'SHA256SUMS' && more.length === 0;
}

/** When a backup was taken, from its directory's stamp (yyyymmddHHMMSS, UTC). */
function stampTime(stamp: string): number {
  const [y, mo, d, h, mi, s] = [0, 4, 6, 8, 10, 12].map((i, n) =>
    Number(stamp.slice(i, n === 0 ? 4 : i + 2)),
  );
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
}

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
  // every matching line with its file (-H), so the check can tell this client's backup from any other
  return { command: { argv: ['grep', '-rHis', '--', 'backup', ...paths], sudo: true }, okCodes: [0, 1, 2] };
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
      '%T@ %s %p\\n',
    ],
    sudo: true,
  },
  okCodes: [0, 1],
});

/**
 * The database the site serves (issue 19: after an upgrade by copy it is <name>_mk<stamp>, no longer the plan's):
 * `current`'s conf.php, included by PHP as the web user (conf.php is code; never run it as root). No site yet: no name.
 */
const liveDatabaseProbe = (ctx: CheckContext): ProbeRequest => ({
  // runuser inside the one sudo batch (probe batches, hosts/batch.ts, take no asUser): root drops to the web user
  command: {
    argv: [
      'runuser',
      '-u',
      ctx.plan.target.webUser,
      '--',
      'php',
      '-r',
      printDbName,
      '--',
      liveConfPhp(ctx.plan),
    ],
    sudo: true,
  },
  okCodes: [0, 1, 255],
});

/** Every probe of this check: cron files, systemd timers (unless cron paths are given), backup files, live database. */
const backupProbes = (ctx: CheckContext): ProbeRequest[] => [
  cronProbe(ctx),
  liveDatabaseProbe(ctx),
  ...(ctx.options?.cronPaths ? [] : [timersProbe]),
  filesProbe(ctx),
];

/** The live database's name, or the plan's when there is no site to read it from yet. */
async function liveDatabaseName(ctx: CheckContext): Promise<string> {
  const r = await ask(ctx, liveDatabaseProbe(ctx));
  return (r.ok && r.code === 0 && parseLiveDatabase(r.stdout)) || ctx.plan.database.name;
}

/**
 * Where this client's scheduled backup is declared: a cron line or a systemd timer that backs up its database
 * and documents (backup-entry.ts). `others`: entries mentioning "backup" that are not this client's.
 */
async function findSchedule(
  ctx: CheckContext,
): Promise<{ found: string[]; others: string[]; reasons: string[]; stale: string[]; live: string }> {
  const found = new Set<string>();
  const others = new Set<string>();
  const reasons: string[] = [];
  const stale: string[] = [];
  const live = await liveDatabaseName(ctx);
  const livePlan = { ...ctx.plan, database: { ...ctx.plan.database, name: live } };
  const cron = await ask(ctx, cronProbe(ctx));
  if (cron.ok) {
    for (const l of cron.stdout.split('\n').filter(Boolean)) {
      const colon = l.indexOf(':');
      const file = colon > 0 ? l.slice(0, colon) : l;
      if (backsUpClient(l.slice(colon + 1), livePlan)) found.add(`cron ${file}`);
      else if (live !== ctx.plan.database.name && backsUpClient(l.slice(colon + 1), ctx.plan))
        stale.push(
          `${file} dumps ${ctx.plan.database.name}, which is no longer the live database: an upgrade by copy made ` +
            `${live} live, so that job backs up the archive of the old release`,
        );
      else others.add(file);
    }
  } else reasons.push(cron.reason);
  if (!ctx.options?.cronPaths) {
    const timers = await ask(ctx, timersProbe);
    if (timers.ok)
      for (const l of timers.stdout.split('\n').filter((t) => /backup/i.test(t))) {
        const unit =
          l
            .trim()
            .split(/\s+/)
            .find((w) => /\.timer$/.test(w)) ?? l.trim();
        if (timerBacksUpClient(unit, ctx.plan)) found.add(`timer ${unit}`);
        else others.add(unit);
      }
    else reasons.push(timers.reason);
  }
  for (const f of found) others.delete(f.replace(/^(cron|timer) /, ''));
  return { found: [...found], others: [...others], reasons, stale, live };
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
    const scheduleThreshold = `a cron entry or systemd timer that backs up ${ctx.plan.client}'s database and documents`;
    if (schedule.found.length > 0)
      out.push(finding(this, 'pass', schedule.found.join(', '), scheduleThreshold, { idSuffix: 'schedule' }));
    else if (schedule.reasons.length === 2 || (ctx.options?.cronPaths && schedule.reasons.length === 1))
      out.push(unknown(this, scheduleThreshold, schedule.reasons.join('; '), 'schedule'));
    else
      out.push(
        finding(this, 'fail', `no scheduled backup of ${schedule.live} found`, scheduleThreshold, {
          idSuffix: 'schedule',
          detail: [
            ...schedule.stale,
            ...(schedule.others.length > 0
              ? [`not this client's backup: ${schedule.others.slice(0, 5).join(', ')}`]
              : []),
            ...schedule.reasons,
          ].join('; '),
          remediation: `schedule \`mokodeploy backup ${ctx.plan.id ?? ctx.plan.client}\` (cron or systemd timer), (it follows the live database), or a job that dumps ${schedule.live} and copies ${ctx.plan.target.dataRoot} to target.backupRoot`,
        }),
      );

    const dir = ctx.plan.target.backupRoot;
    const recentThreshold = `newest complete backup (its SHA256SUMS) in ${dir} younger than ${maxHours} h`;
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
    const listed = files.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [t = '', size = '', ...path] = l.split(' ');
        return { t: Number(t) * 1000, size: Number(size), path: path.join(' ') };
      })
      .sort((a, b) => b.t - a.t);
    // issue 23: only a backup run's own record that it completed counts, not any recent file (a failed run leaves
    // custom.tar.gz.partial behind): <stamp>/SHA256SUMS, which `mokodeploy backup` writes last (src/backup/layout.ts)
    // and its age is the backup's own (the stamp the run named it with), not the file's: a backup shipped to a new
    // server by a recovery is as old as when it was taken
    const newest = listed
      .filter((f) => isCompleteManifest(dir, f.path) && f.size > 0)
      .map((f) => ({ ...f, t: Math.min(f.t, stampTime(f.path.split('/').at(-2) ?? '')) }))
      .sort((a, b) => b.t - a.t)[0];
    if (!newest) {
      const other = listed[0];
      out.push(
        finding(this, 'fail', `no complete backup in ${dir}`, recentThreshold, {
          idSuffix: 'recent',
          detail: other
            ? `${listed.length} file(s) but no <stamp>/SHA256SUMS (written last by a backup that completed); newest: ${other.path}`
            : undefined,
          remediation: `run \`mokodeploy backup ${ctx.plan.id ?? ctx.plan.client}\` now and check it completes`,
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
