import { result, type CheckResult, type VerifyCheck } from '../check.js';
import type { VerifyContext } from '../context.js';

/**
 * Verification "Backup jobs running": a scheduled backup (cron file or systemd timer) exists for the
 * client, and the newest backup under the plan's backupRoot is less than 26 hours old (a daily job).
 */
const maxAgeHours = 26;

async function scheduled(ctx: VerifyContext): Promise<string | undefined> {
  const sources = [
    ['sh', '-c', `cat ${ctx.options.cronDir}/* /etc/crontab 2>/dev/null; crontab -l 2>/dev/null; true`],
    ['systemctl', 'list-timers', '--all', '--no-legend', '--no-pager'],
  ];
  for (const argv of sources) {
    const r = await ctx.host.run({ argv, sudo: ctx.plan.target.sudo }).catch(() => undefined);
    const line = r?.stdout
      .split('\n')
      .find(
        (l) =>
          !l.trim().startsWith('#') &&
          /backup/i.test(l) &&
          (l.includes(ctx.plan.client) || l.includes(ctx.plan.target.backupRoot)),
      );
    if (line) return line.trim();
  }
  return undefined;
}

async function newestBackup(ctx: VerifyContext): Promise<{ path: string; ageHours: number } | undefined> {
  const r = await ctx.host.run({
    argv: ['find', ctx.plan.target.backupRoot, '-mindepth', '1', '-maxdepth', '1', '-printf', '%T@ %p\n'],
  });
  const newest = r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => [Number(l.split(' ')[0]), l.slice(l.indexOf(' ') + 1)] as const)
    .sort((a, b) => b[0] - a[0])[0];
  return newest ? { path: newest[1], ageHours: (ctx.now.getTime() / 1000 - newest[0]) / 3600 } : undefined;
}

export const backupJobsCheck: VerifyCheck = {
  id: 'backup-jobs',
  item: 'verify.backup-jobs',
  title: 'Backup job',
  async run(ctx) {
    const job = await scheduled(ctx);
    const last = await newestBackup(ctx);
    const out: CheckResult[] = [];
    out.push(
      job
        ? result('verify.backup-jobs', 'backup.schedule', 'pass', `scheduled: ${job}`)
        : result(
            'verify.backup-jobs',
            'backup.schedule',
            'fail',
            `no scheduled backup naming ${ctx.plan.client} or ${ctx.plan.target.backupRoot}`,
            `schedule a daily backup into ${ctx.plan.target.backupRoot} (cron file in ${ctx.options.cronDir} or a systemd timer)`,
          ),
    );
    if (!last)
      out.push(
        result(
          'verify.backup-jobs',
          'backup.latest',
          'fail',
          `no backup in ${ctx.plan.target.backupRoot}`,
          'run the backup job once and check it completes',
        ),
      );
    else if (last.ageHours > maxAgeHours)
      out.push(
        result(
          'verify.backup-jobs',
          'backup.latest',
          'fail',
          `newest backup ${last.path} is ${Math.round(last.ageHours)} h old`,
          `the job is not running: check its log; a daily backup must be under ${maxAgeHours} h old`,
        ),
      );
    else
      out.push(
        result(
          'verify.backup-jobs',
          'backup.latest',
          'pass',
          `newest backup ${last.path} (${last.ageHours.toFixed(1)} h old)`,
        ),
      );
    return out;
  },
};
