import type { Host } from '../hosts/host.js';
import { releaseStamp } from '../dolibarr/layout.js';

/**
 * A stamp (yyyymmddHHMMSS) no backup directory and no release has yet: a backup directory is written once (issue
 * 13), and an upgrade names its backup and its new release by one stamp, so two runs in the same second (a
 * `backup` just before an `upgrade`) take the next free second instead of colliding.
 */
export async function freeStamp(
  host: Host,
  places: { backupRoot: string; releasesDir: string },
  now = new Date(),
): Promise<string> {
  const r = await host.run({
    sudo: true, // the backup root is root's, 0700
    argv: [
      'sh',
      '-c',
      'ls -1 -- "$1" "$2" 2>/dev/null; exit 0',
      'stamps',
      places.backupRoot,
      places.releasesDir,
    ],
  });
  const taken = new Set(
    r.stdout
      .split('\n')
      .map((name) => /(?:^|-)(\d{14})$/.exec(name.trim())?.[1])
      .filter((s): s is string => s !== undefined),
  );
  for (let t = now.getTime(); ; t += 1000) {
    const stamp = releaseStamp(new Date(t));
    if (!taken.has(stamp)) return stamp;
  }
}
