import { result, type CheckResult, type VerifyCheck } from '../check.js';
import type { VerifyContext } from '../context.js';

/**
 * Verification "Resource usage normal": load average per core, available memory and free disk on the code
 * and documents file systems, against the policy's server thresholds (Environment Validation).
 */
const item = 'verify.resources';

async function text(ctx: VerifyContext, argv: string[], sudo = false): Promise<string> {
  const r = await ctx.host.run({ argv, sudo });
  if (r.code !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout;
}

export const resourcesCheck: VerifyCheck = {
  id: 'resources',
  item: 'verify.resources',
  title: 'Resource usage',
  async run(ctx) {
    const out: CheckResult[] = [];
    const cores = Number((await text(ctx, ['nproc'])).trim());
    const load1 = Number((await text(ctx, ['cat', '/proc/loadavg'])).split(' ')[0]);
    // load is a one-minute snapshot: a warning to look at, not a verdict
    out.push(
      result(
        item,
        'resources.load',
        load1 > cores ? 'warn' : 'pass',
        `load ${load1} on ${cores} cores`,
        load1 > cores
          ? 'more runnable processes than cores: find the busy ones (top) before go-live'
          : undefined,
      ),
    );
    const mem = await text(ctx, ['cat', '/proc/meminfo']);
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(mem)?.[1] ?? 0);
    const availPct = (kb('MemAvailable') / kb('MemTotal')) * 100;
    out.push(
      result(
        item,
        'resources.memory',
        availPct < 10 ? 'fail' : 'pass',
        `${(kb('MemAvailable') / 1048576).toFixed(1)} GB of ${(kb('MemTotal') / 1048576).toFixed(1)} GB available`,
        availPct < 10 ? 'less than 10 % memory available: reduce pm.max_children or add memory' : undefined,
      ),
    );
    const minGb = ctx.policy.environment.server.diskFreeGb.min;
    // through sudo, as the engine reads these paths: the documents directory is 0750 www-data (issue 25)
    const df = await text(ctx, ['df', '-P', '-B1', ctx.plan.target.root, ctx.plan.target.dataRoot], true);
    const mounts = new Map(
      df
        .split('\n')
        .slice(1)
        .filter(Boolean)
        .map((l) => [l.split(/\s+/)[5], l.split(/\s+/)]),
    );
    for (const cols of mounts.values()) {
      const freeGb = Number(cols[3]) / 1024 ** 3;
      const used = cols[4];
      const seen = `${cols[5]}: ${freeGb.toFixed(1)} GB free (${used} used)`;
      if (parseInt(used!, 10) >= 90)
        out.push(
          result(
            item,
            `resources.disk.${cols[5]}`,
            'fail',
            seen,
            'the disk is over 90 % full: free space before documents and backups fill it',
          ),
        );
      else
        out.push(
          result(
            item,
            `resources.disk.${cols[5]}`,
            freeGb < minGb ? 'warn' : 'pass',
            seen,
            freeGb < minGb ? `below the policy's ${minGb} GB free` : undefined,
          ),
        );
    }
    return out;
  },
};
