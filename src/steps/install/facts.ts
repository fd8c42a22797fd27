import type { Plan } from '../../core/plan.js';
import type { Host } from '../../hosts/host.js';
import { parseConfPhp } from '../../dolibarr/conf-php.js';
import { releaseStamp, targetLayout } from '../../dolibarr/layout.js';
import { readModuleDescriptor } from '../../dolibarr/module-descriptor.js';
import { readDolVersion } from '../../dolibarr/version.js';
import type { InstallFacts } from './context.js';
import { cronByUrlPage } from './cron-by-url.js';
import { extractedMarker } from './extract-release.js';
import { posix } from 'node:path';

/**
 * Read, on the target, what the install steps plan from (nothing is changed): the tarball's sha256 and
 * DOL_VERSION, php-cli's version, custom module descriptors, an existing shared conf.php.
 */
export async function gatherInstallFacts(
  host: Host,
  plan: Plan,
  extra: Partial<InstallFacts> = {},
): Promise<InstallFacts> {
  // an upgrade reads the tarball once beforehand (steps/upgrade/read-release.ts) and gives what it found
  const read =
    extra.releaseSha256 !== undefined && extra.releaseHasCronScript !== undefined
      ? {}
      : await readTarball(host, plan.dolibarr.release);
  const phpVersion = await host.run({
    sudo: true,
    argv: [extra.phpBinary ?? 'php', '-r', 'echo PHP_VERSION;'],
  });
  const layout = targetLayout(plan.target.root, plan.target.dataRoot, 'unused');
  return {
    stamp: extra.stamp ?? (await liveReleaseStamp(host, plan)) ?? releaseStamp(new Date()),
    ...read,
    phpVersion: phpVersion.code === 0 ? phpVersion.stdout.trim() : undefined,
    customModules: await Promise.all(
      plan.customModules.map(async (m) => ({
        name: m.name,
        descriptor: await readDescriptor(host, m.source),
      })),
    ),
    existingConf: await readExistingConf(host, layout.confPhp),
    ...extra,
  };
}

/**
 * The stamp of the release `current` already serves, when it is a complete extraction of the plan's
 * version: a second run of a finished install then finds its release in place instead of extracting a
 * new one beside it (a new run never inherits a finished run's journaled facts, issue 13).
 */
async function liveReleaseStamp(host: Host, plan: Plan): Promise<string | undefined> {
  const layout = targetLayout(plan.target.root, plan.target.dataRoot, 'unused');
  const link = await host.run({ sudo: true, argv: ['readlink', '--', layout.currentLink] });
  if (link.code !== 0) return undefined;
  const name = posix.basename(link.stdout.trim());
  const prefix = `${plan.dolibarr.version}-`;
  const stamp = name.startsWith(prefix) ? name.slice(prefix.length) : '';
  if (!/^\d{14}$/.test(stamp)) return undefined;
  const marker = posix.join(layout.releasesDir, name, extractedMarker);
  const content = await host.run({ sudo: true, argv: ['cat', '--', marker] });
  return content.code === 0 && content.stdout.trim() === plan.dolibarr.version ? stamp : undefined;
}

async function readTarball(host: Host, release: string) {
  const sha = await host.run({ sudo: true, argv: ['sha256sum', '--', release], timeoutMs: 300_000 });
  const filefunc = await extractOne(host, release, '*/htdocs/filefunc.inc.php');
  const versionInc = await extractOne(host, release, '*/htdocs/version.inc.php');
  // both cron runners in one listing (tar exits 2 when one is absent and still lists the other)
  const cronScript = await host.run({
    sudo: true,
    argv: ['tar', '-tzf', release, '--wildcards', '--no-anchored', '*/scripts/cron/cron_run_jobs.php', `*/${cronByUrlPage}`],
    timeoutMs: 300_000,
  });
  const listed = (suffix: string) => cronScript.stdout.split('\n').some((l) => l.endsWith(suffix));
  return {
    releaseSha256: sha.code === 0 ? sha.stdout.split(/\s+/)[0] : undefined,
    releaseVersion: filefunc === undefined ? undefined : readDolVersion({ filefunc, versionInc }),
    releaseHasCronScript: listed('/scripts/cron/cron_run_jobs.php'),
    releaseHasCronPage: listed(`/${cronByUrlPage}`),
  };
}

async function extractOne(host: Host, tarball: string, pattern: string): Promise<string | undefined> {
  const r = await host.run({
    sudo: true,
    argv: ['tar', '-xzOf', tarball, '--wildcards', '--no-anchored', pattern],
    timeoutMs: 300_000,
  });
  return r.code === 0 && r.stdout.length > 0 ? r.stdout : undefined;
}

async function readExistingConf(host: Host, path: string) {
  try {
    return parseConfPhp((await host.readFile(path)).toString('utf8'));
  } catch {
    return undefined;
  }
}

const descriptorPattern = '*/core/modules/mod*.class.php';

async function readDescriptor(host: Host, source: string) {
  let text: string | undefined;
  if (/\.(tgz|tar\.gz)$/.test(source)) text = await extractOne(host, source, descriptorPattern);
  else if (/\.zip$/.test(source))
    text = (await host.run({ sudo: true, argv: ['unzip', '-p', source, descriptorPattern] })).stdout;
  else {
    const found = await host.run({
      sudo: true,
      argv: [
        'find',
        '-P', // never follows a link out of the module source (issue 12)
        source,
        '-path',
        `${source.replace(/\/+$/, '')}/core/modules/mod*.class.php`,
        '-type',
        'f',
      ],
    });
    const first = found.stdout.split('\n').find((l) => l.trim() !== '');
    if (first) text = (await host.readFile(first)).toString('utf8');
  }
  return text ? readModuleDescriptor(text) : undefined;
}
