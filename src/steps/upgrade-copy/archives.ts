/**
 * Issue 19: retention of the schemas an upgrade by copy leaves on the database server. Pure: names in, decisions
 * out; reading the server and dropping are db-archives-steps.ts.
 *
 * Which schemas are the deployment's (its plan's database name N, shortened so the suffix fits in 64 characters):
 * - N and `N_mk<stamp>`: the live schema and the ones the site left at earlier upgrades by copy (the engine that
 *   switches by `current` alone: the migrated copy becomes live under its own name);
 * - `N_mkold<stamp>`: what the engine that renamed tables kept of the old database;
 * - `N_mkbad<stamp>`: a migrated schema a rollback left, kept for the analysis.
 * Never listed: the live schema (what `current`'s conf.php names), `N_mkcopy` (a copy being made), anything else.
 * A schema newer than the live one is a failed upgrade's (rolled back), or a copy being made right now: it counts
 * as failed and is kept for `failedKeepDays` from its stamp, so a running upgrade's copy (minutes old) is safe.
 */
export interface ArchiveRules {
  /** Archives kept whatever their age, newest first (0: only what the other rules keep). */
  keep: number;
  /** Archives left less than this many days ago are kept. */
  keepDays: number;
  /**
   * The newest archive (what a rollback before writes goes back to) is kept until the deployment's hypercare has
   * ended (support.hypercareStart + hypercareDays, or the deployment closed); kept when that is not known.
   */
  keepNewestUntilHypercareEnds: boolean;
  /** Failed schemas (and a copy being made) are kept this many days from their stamp. */
  failedKeepDays: number;
}

export const defaultArchiveRules: ArchiveRules = {
  keep: 0,
  keepDays: 0,
  keepNewestUntilHypercareEnds: true,
  failedKeepDays: 14,
};

export type ArchiveKind = 'left' | 'failed';

export interface Archive {
  name: string;
  kind: ArchiveKind;
  /** When the site left it (left), or when it was made (failed); undefined for N itself when nothing follows it. */
  at?: Date;
}

export interface ArchiveDecision extends Archive {
  drop: boolean;
  reason: string;
}

const stampDate = (s: string): Date =>
  new Date(
    `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(8, 10)}:${s.slice(10, 12)}:${s.slice(12, 14)}Z`,
  );

interface Parsed {
  name: string;
  tag: '' | 'mk' | 'mkold' | 'mkbad';
  stamp: string;
}

/** The deployment's schema this name is, or undefined. */
export function parseDeploymentSchema(planName: string, name: string): Parsed | undefined {
  if (name === planName) return { name, tag: '', stamp: '' };
  const m = /^(.*)_(mk|mkold|mkbad)(\d{14})$/.exec(name);
  if (!m) return undefined;
  const [, prefix, tag, stamp] = m as unknown as [string, string, Parsed['tag'], string];
  return prefix === planName.slice(0, 64 - (name.length - prefix.length)) ? { name, tag, stamp } : undefined;
}

/** The deployment's archives among `schemas`, newest first, given the live one. */
export function listArchives(planName: string, live: string, schemas: readonly string[]): Archive[] {
  const parsed = schemas
    .filter((s) => s !== live)
    .map((s) => parseDeploymentSchema(planName, s))
    .filter((p): p is Parsed => p !== undefined);
  const liveStamp = parseDeploymentSchema(planName, live)?.stamp ?? '';
  // the chain of schemas the site served, oldest first: N (no stamp), then N_mk<stamp> by stamp, up to the live one
  const served = [
    ...parsed.filter((p) => p.tag === '' || p.tag === 'mk'),
    { name: live, tag: 'mk', stamp: liveStamp },
  ]
    .filter((p) => p.tag === '' || p.stamp <= liveStamp)
    .sort((a, b) => a.stamp.localeCompare(b.stamp));
  const archives = parsed.map((p): Archive => {
    if (p.tag === 'mkbad' || (p.tag === 'mk' && p.stamp > liveStamp))
      return { name: p.name, kind: 'failed', at: stampDate(p.stamp) };
    if (p.tag === 'mkold') return { name: p.name, kind: 'left', at: stampDate(p.stamp) };
    // left when the next schema of the chain became live (at that one's stamp)
    const next = served[served.findIndex((s) => s.name === p.name) + 1];
    return { name: p.name, kind: 'left', at: next?.stamp ? stampDate(next.stamp) : undefined };
  });
  const time = (a: Archive) => a.at?.getTime() ?? 0;
  return archives.sort((a, b) => time(b) - time(a) || b.name.localeCompare(a.name));
}

/**
 * What to drop. `hypercareEnds`: when the deployment's hypercare ends (undefined: not known, e.g. not live yet).
 * Every archive gets the reason it is kept or dropped.
 */
export function planArchiveRetention(
  archives: readonly Archive[],
  o: { now: Date; hypercareEnds?: Date; rules?: ArchiveRules },
): ArchiveDecision[] {
  const rules = o.rules ?? defaultArchiveRules;
  const day = 86_400_000;
  const ageDays = (a: Archive) => (a.at ? (o.now.getTime() - a.at.getTime()) / day : Infinity);
  const left = archives.filter((a) => a.kind === 'left');
  return archives.map((a): ArchiveDecision => {
    const age = ageDays(a);
    const days = Number.isFinite(age) ? `${age.toFixed(1)} days` : 'age unknown';
    if (a.kind === 'failed')
      return age < rules.failedKeepDays
        ? {
            ...a,
            drop: false,
            reason: `failed or in progress, ${days} old: kept ${rules.failedKeepDays} days`,
          }
        : { ...a, drop: true, reason: `failed, ${days} old (more than ${rules.failedKeepDays} days)` };
    const rank = left.indexOf(a);
    if (rank === 0 && rules.keepNewestUntilHypercareEnds) {
      if (!o.hypercareEnds)
        return {
          ...a,
          drop: false,
          reason: 'the newest archive: a rollback may still need it (hypercare not started)',
        };
      if (o.hypercareEnds.getTime() > o.now.getTime())
        return {
          ...a,
          drop: false,
          reason: `the newest archive: a rollback may still need it until hypercare ends ${o.hypercareEnds.toISOString()}`,
        };
    }
    if (rank < rules.keep) return { ...a, drop: false, reason: `among the newest ${rules.keep} archives` };
    if (age < rules.keepDays)
      return { ...a, drop: false, reason: `left ${days} ago: kept ${rules.keepDays} days` };
    return {
      ...a,
      drop: true,
      reason: rank === 0 ? `hypercare has ended; left ${days} ago` : `older archive, left ${days} ago`,
    };
  });
}
