import type { Host } from '../../hosts/host.js';
import { readDolVersion } from '../../dolibarr/version.js';

/**
 * The release tarball read once (issue 13 "start-up"): one streaming pass gives its sha256 and the files the facts
 * need — DOL_VERSION (htdocs/filefunc.inc.php, or htdocs/version.inc.php from 23.0, DOLIBARR.md §1) and whether
 * the cron runners are there (scripts/cron/cron_run_jobs.php, htdocs/public/cron/cron_run_jobs_by_url.php) — instead of a sha256sum and three tar passes (about 11 s on the 82 MB
 * 20.0.2 tarball, 3 s in one pass). It runs before the upgrade's maintenance, never inside the outage.
 * tee feeds sha256sum and tar from one read; tar hands each wanted member to a small command that prints a marker
 * line with its name, then its content. The script is constant; the tarball is its positional argument.
 */
export const readReleaseScript = [
  'set -euo pipefail',
  'sum="$(mktemp)"',
  'trap \'rm -f "$sum"\' EXIT',
  // a member that is absent makes tar exit 2 after reading everything: what was found is still printed
  'tee >(sha256sum > "$sum") < "$1" | { tar -xzf - --wildcards --no-anchored --to-command=\'printf "\\n@@mokodeploy-member %s\\n" "$TAR_FILENAME"; cat\' "*/htdocs/filefunc.inc.php" "*/htdocs/version.inc.php" "*/scripts/cron/cron_run_jobs.php" "*/htdocs/public/cron/cron_run_jobs_by_url.php" 2>/dev/null || true; }',
  // sha256sum ends just after tee closes its pipe: wait for its line (a process substitution has no $! to wait on)
  'for _ in $(seq 100); do [ -s "$sum" ] && break; sleep 0.05; done',
  'printf "\\n@@mokodeploy-sha256 %s\\n" "$(cut -d" " -f1 "$sum")"',
].join('\n');

export interface ReleaseRead {
  releaseSha256?: string;
  releaseVersion?: string;
  releaseHasCronScript: boolean;
  /** Dolibarr's cron runner by URL (htdocs/public/cron/cron_run_jobs_by_url.php), used when scripts/ is absent. */
  releaseHasCronPage: boolean;
}

export async function readRelease(host: Host, tarball: string): Promise<ReleaseRead | undefined> {
  const r = await host.run({
    sudo: true,
    argv: ['bash', '-c', readReleaseScript, 'read-release', tarball],
    timeoutMs: 300_000,
  });
  if (r.code !== 0) return undefined;
  return parseReleaseRead(r.stdout);
}

/** The members and the sum out of the script's output. */
export function parseReleaseRead(stdout: string): ReleaseRead | undefined {
  const sha = /\n@@mokodeploy-sha256 ([0-9a-f]{64})\n/.exec(stdout)?.[1];
  if (!sha) return undefined;
  const members = new Map<string, string>();
  const parts = stdout.split(/\n@@mokodeploy-(member \S+|sha256 [0-9a-f]{64})\n/);
  for (let i = 1; i < parts.length - 1; i += 2) {
    const marker = parts[i]!;
    if (marker.startsWith('member ')) members.set(marker.slice('member '.length), parts[i + 1] ?? '');
  }
  const find = (suffix: string) => [...members].find(([name]) => name.endsWith(suffix))?.[1];
  const filefunc = find('/htdocs/filefunc.inc.php');
  return {
    releaseSha256: sha,
    releaseVersion:
      filefunc === undefined
        ? undefined
        : readDolVersion({ filefunc, versionInc: find('/htdocs/version.inc.php') }),
    releaseHasCronScript: find('/scripts/cron/cron_run_jobs.php') !== undefined,
    releaseHasCronPage: find('/htdocs/public/cron/cron_run_jobs_by_url.php') !== undefined,
  };
}
