import { execFileSync } from 'node:child_process';
import type { Plan } from '../core/plan.js';
import type { DeploymentRecord } from '../core/record.js';
import type { Host } from '../hosts/host.js';
import { readModuleDescriptor, type ModuleDescriptor } from '../dolibarr/module-descriptor.js';
import { fileCheckFile } from './build.js';
import { parseFileList } from './filelist.js';
import type { FileCheck } from './release-check.js';
import { approvedManifest, stagedPlan } from './ship.js';
import { packagePaths } from './store.js';
import { targetPackage } from './target-commands.js';

/**
 * `deploy --dry-run` of a deployment with a package (issue 22): nothing is uploaded, so the listing plans with the
 * staged paths the real run will use, and the facts a run reads from the shipped release (version, sha256, cron
 * runners, module descriptors) are read here from the approved package in the store.
 */
export function dryRunPackage(record: DeploymentRecord, home: string) {
  const m = approvedManifest(record, home, false); // a dry run lists an unapproved package too (the gates say so)
  const tar = packagePaths(home, record.id).tar(record.package!.hash);
  const read = (path: string) =>
    execFileSync('tar', ['-xOf', tar, `./${path}`], { maxBuffer: 64 * 1024 * 1024 }).toString('utf8');
  const list = parseFileList(read(m.release.fileList));
  const check = JSON.parse(read(fileCheckFile)) as FileCheck;
  const present = (path: string) =>
    (list.files.has(path) && !check.missing.includes(path)) || check.added.includes(path);
  const customModules = m.modules.map((mod) => ({ name: mod.name, descriptor: descriptorIn(read, m.files, mod.dir) }));
  return {
    plan: stagedPlan(record.plan, m, targetPackage(record.plan.target.root, record.package!.hash)),
    facts: {
      releaseSha256: m.files.find((f) => f.path === m.release.file)!.sha256,
      releaseVersion: m.dolibarrVersion,
      releaseHasCronScript: present('scripts/cron/cron_run_jobs.php'),
      releaseHasCronPage: present('htdocs/public/cron/cron_run_jobs_by_url.php'),
      customModules,
    },
  };
}

function descriptorIn(
  read: (path: string) => string,
  files: { path: string }[],
  dir: string,
): ModuleDescriptor | undefined {
  const file = files.find((f) => new RegExp(`^${dir}/core/modules/mod[^/]*\\.class\\.php$`).test(f.path));
  return file ? readModuleDescriptor(read(file.path)) : undefined;
}

/** Kinds whose run ships the package into the plan (deploy's recordForRun, the upgrade engine's shipIntoPlan). */
const shippedKinds: readonly string[] = ['new', 'upgrade', 'customization'];

/**
 * The record and fact overrides a dry run plans with: the package's for a new install or an upgrade (their facts
 * readers take them, steps/install/facts.ts, steps/upgrade/facts.ts: nothing read at the plan's path), else the
 * plan's own paths.
 */
export function dryRunRecord(record: DeploymentRecord, home: string) {
  if (!record.package || !shippedKinds.includes(record.plan.kind)) return { record, facts: {} };
  const d = dryRunPackage(record, home);
  return { record: { ...record, plan: d.plan }, facts: d.facts };
}

/**
 * A dry run lists the commands even when the release is not on the target yet (downloaded on the day, or shipped
 * by the package): the tarball at the plan's path is looked for first, and when it is not there the facts it
 * would give are the plan's (version, sha256; the cron runner of scripts/ assumed), said in a warning. The real
 * run still reads and checks the tarball and refuses without it.
 */
export async function releaseFactsForDryRun(
  host: Host,
  plan: Plan,
  given: Record<string, unknown>,
): Promise<{ facts: Record<string, unknown>; warnings: string[] }> {
  const release = plan.dolibarr.release;
  if (given.releaseSha256 !== undefined || /^[a-z]+:\/\//i.test(release)) return { facts: {}, warnings: [] };
  const there = await host.run({ sudo: true, argv: ['test', '-f', release, '-a', '-r', release] });
  if (there.code === 0) return { facts: {}, warnings: [] };
  return {
    facts: {
      releaseSha256: plan.dolibarr.sha256 ?? '',
      releaseVersion: plan.dolibarr.version,
      releaseHasCronScript: true,
      releaseHasCronPage: true,
    },
    warnings: [
      `the release ${release} is not on ${host.name} (or not readable): the dry run plans with the plan's version ${plan.dolibarr.version}${plan.dolibarr.sha256 ? ' and sha256' : ''}; the real run reads and checks the tarball there and refuses without it (or build a package: mokodeploy package <id>)`,
    ],
  };
}
