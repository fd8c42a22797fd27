import { dirname } from 'node:path';
import type { Check, CheckContext, Finding } from './finding.js';
import { ask, type ProbeRequest } from './probe.js';
import { finding, formatGb, gb, unknown } from './result.js';

function ancestors(path: string): string[] {
  const out = [path];
  while (out[out.length - 1] !== '/') out.push(dirname(out[out.length - 1]!));
  return out;
}

const watched = (ctx: CheckContext) => {
  const { root, dataRoot, backupRoot } = ctx.plan.target;
  return { root, dataRoot, backupRoot };
};

// df exits 1 when some candidates do not exist; the existing ones are still listed
const dfProbe = (ctx: CheckContext): ProbeRequest => ({
  command: {
    argv: [
      'df',
      '--output=file,target,avail',
      '-B1',
      '--',
      ...new Set(Object.values(watched(ctx)).flatMap(ancestors)),
    ],
  },
  okCodes: [0, 1],
});

/** Policy "minimum 20GB free" on every filesystem the deployment writes to (nearest existing parent). */
export const diskCheck: Check = {
  id: 'disk',
  title: 'Free disk space',
  policyRef: 'env.server.disk',
  probes: (ctx) => [dfProbe(ctx)],
  async run(ctx) {
    const min = ctx.policy.environment.server.diskFreeGb.min;
    const threshold = `>= ${min} GB free`;
    const paths = watched(ctx);
    const p = await ask(ctx, dfProbe(ctx));
    if (!p.ok) return [unknown(this, threshold, p.reason)];
    const rows = new Map(
      p.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.trim().split(/\s+/))
        .filter((f) => f.length >= 3)
        .map((f) => [f[0]!, { mount: f[1]!, avail: Number(f[2]) }]),
    );
    const byMount = new Map<string, { avail: number; uses: string[] }>();
    const out: Finding[] = [];
    for (const [name, path] of Object.entries(paths)) {
      const existing = ancestors(path).find((a) => rows.has(a));
      if (!existing) {
        out.push(
          unknown(
            this,
            threshold,
            `df gave nothing for ${path} or its parents: ${p.stderr.trim().slice(0, 200)}`,
            name,
          ),
        );
        continue;
      }
      const row = rows.get(existing)!;
      const entry = byMount.get(row.mount) ?? { avail: row.avail, uses: [] };
      entry.uses.push(`${name} ${path}`);
      byMount.set(row.mount, entry);
    }
    for (const [mount, { avail, uses }] of byMount) {
      const observed = `${formatGb(avail)} free on ${mount} (${uses.join(', ')})`;
      out.push(
        avail >= min * gb
          ? finding(this, 'pass', observed, threshold, { idSuffix: mount })
          : finding(this, 'fail', observed, threshold, {
              idSuffix: mount,
              remediation: `free space or grow the filesystem holding ${mount}`,
            }),
      );
    }
    return out;
  },
};
