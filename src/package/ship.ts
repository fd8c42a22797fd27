import { existsSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { refused, targetError } from '../core/errors.js';
import type { Plan } from '../core/plan.js';
import type { DeploymentRecord } from '../core/record.js';
import type { Command, Host } from '../hosts/host.js';
import { packageHash, type PackageManifest } from './manifest.js';
import { packagePaths } from './store.js';
import {
  checkCommand,
  extractCommands,
  failedFiles,
  isVerifiedCommand,
  listCommand,
  markVerifiedCommand,
  targetPackage,
  type TargetPackage,
} from './target-commands.js';

/**
 * Shipping (issue 22): the approved package goes to <target.root>/packages/ over the deployment's own connection
 * (host.upload: SFTP, resumed, sha256-checked; a local target extracts the stored tar where it is), is extracted
 * there and every file checked against the approved manifest; the plan the steps then run with names the files
 * in that directory, so the install extracts what was approved and nothing else.
 */
export interface ShipOptions {
  home: string;
  /** Progress of the upload (bytes of total). */
  onProgress?: (p: { bytes: number; total: number }) => void;
  /** Where a note goes (skipped upload, resumed upload). */
  note?: (text: string) => void;
}

export interface Shipped {
  plan: Plan;
  dir: string;
  uploaded: boolean;
  resumedFrom: number;
  files: number;
}

/** The approved manifest from the store, refused unless its sha256 is the package hash the approval covers. */
export function approvedManifest(record: DeploymentRecord, home: string, requireApproval = true): PackageManifest {
  const hash = record.package!.hash;
  if (requireApproval && record.approval?.packageHash !== hash)
    throw refused(`package ${hash.slice(0, 12)} of ${record.id} is not the approved one`, {
      fix: `a deployment manager approves it: mokodeploy approve ${record.id}`,
    });
  const file = packagePaths(home, record.id).manifest(hash);
  if (!existsSync(file))
    throw refused(`the approved package ${hash.slice(0, 12)} is not in this store (${file})`, {
      fix: `build it again on this machine (mokodeploy package ${record.id}); a different package voids the approval`,
    });
  const bytes = readFileSync(file);
  if (packageHash(bytes) !== hash)
    throw refused(`the stored manifest ${file} is not the approved one (sha256 ${packageHash(bytes)})`, {
      details: [`manifest.json: changed since approval`],
      fix: `rebuild the package (mokodeploy package ${record.id}) and have it approved again`,
    });
  return JSON.parse(bytes.toString('utf8')) as PackageManifest;
}

export async function shipPackage(host: Host, record: DeploymentRecord, o: ShipOptions): Promise<Shipped> {
  const manifest = approvedManifest(record, o.home);
  const p = targetPackage(record.plan.target.root, record.package!.hash);
  const local = host.name === 'local';
  const tar = packagePaths(o.home, record.id).tar(p.hash);
  let uploaded = false;
  let resumedFrom = 0;
  if (!existsSync(tar)) throw refused(`the approved package's tar ${tar} is missing from this store`, { fix: `rebuild it: mokodeploy package ${record.id}` });
  if (!local) {
    const before = await host.run(isVerifiedCommand(p));
    const tarThere = await host.run({ sudo: true, argv: ['test', '-f', p.tar] });
    if (before.code === 0 && before.stdout.trim() === p.hash && tarThere.code === 0)
      o.note?.(`package ${p.hash.slice(0, 12)} is already on ${host.name}: not uploaded again`);
    else {
      if (!host.upload) throw new Error(`bug: host ${host.name} cannot upload`);
      const r = await host.upload(tar, p.tar, { sudo: true, mode: 0o600, onProgress: o.onProgress });
      uploaded = true;
      resumedFrom = r.resumedFrom;
      if (r.resumedFrom > 0) o.note?.(`upload resumed from ${r.resumedFrom} of ${r.bytes} bytes`);
    }
  }
  // always extracted afresh and checked: what the steps read is what was approved, whatever happened since
  await runAll(host, extractCommands(p, local ? tar : p.tar), 'extract the package');
  await verifyOnTarget(host, p, manifest);
  await runAll(host, [markVerifiedCommand(p)], 'mark the package verified');
  return { plan: stagedPlan(record.plan, manifest, p), dir: p.dir, uploaded, resumedFrom, files: manifest.files.length };
}

/** Every manifest file by sha256 and no file the manifest does not list; refused naming the files. */
export async function verifyOnTarget(host: Host, p: TargetPackage, m: PackageManifest): Promise<void> {
  const check = await host.run(checkCommand(p, m));
  const bad = failedFiles(check.stdout, p);
  const listed = await host.run(listCommand(p));
  const known = new Set([...m.files.map((f) => f.path), 'manifest.json', '.verified']);
  const extra = listed.stdout.split('\n').filter((f) => f !== '' && !known.has(f));
  if (check.code !== 0 || bad.length > 0 || extra.length > 0 || listed.code !== 0)
    throw refused(`the package on ${host.name} (${p.dir}) is not the approved one`, {
      details: [
        ...bad.map((f) => `${f}: sha256 differs from the approved manifest`),
        ...extra.map((f) => `${f}: not in the approved manifest`),
        ...(bad.length === 0 && extra.length === 0 ? [check.stderr.trim() || listed.stderr.trim()] : []),
      ],
      fix: `nothing was installed; find out who changed the package (mokodeploy package ${p.hash.slice(0, 12)}… in the store, or its copy on the target), rebuild it and have it approved again`,
    });
}

/** The plan the steps run with: the release and the modules from the verified package directory. */
export function stagedPlan(plan: Plan, m: PackageManifest, p: TargetPackage): Plan {
  const release = m.files.find((f) => f.path === m.release.file)!;
  return {
    ...plan,
    dolibarr: { ...plan.dolibarr, release: posix.join(p.dir, release.path), sha256: release.sha256 },
    customModules: plan.customModules.map((c) => {
      const dir = m.modules.find((x) => x.name === c.name)?.dir;
      return dir ? { ...c, source: posix.join(p.dir, dir), sha256: undefined } : c;
    }),
  };
}

async function runAll(host: Host, commands: Command[], what: string): Promise<void> {
  for (const c of commands) {
    const r = await host.run(c);
    if (r.code !== 0)
      throw targetError(`${what} on ${host.name}: ${c.argv[0]} failed: ${r.stderr.trim() || `exit ${r.code}`}`, {
        where: host.name,
      });
  }
}

/**
 * The record a run works with: with a package, its plan names the shipped, verified files on the target; without
 * one (a plan approved before packages existed), the plan's own paths are read on the target, said in a warning.
 */
export async function recordForRun(
  host: Host,
  record: DeploymentRecord,
  o: ShipOptions & { warn(text: string): void },
): Promise<DeploymentRecord> {
  if (!record.package) {
    o.warn(
      `${record.id} has no deployment package: the release and modules are read from the plan's paths on ${host.name} (build one with: mokodeploy package ${record.id})`,
    );
    return record;
  }
  const shipped = await shipPackage(host, record, o);
  o.note?.(`package ${record.package.hash.slice(0, 12)}: ${shipped.files} files verified by sha256 in ${shipped.dir}`);
  return { ...record, plan: shipped.plan };
}

/** Upload progress on stderr: one line redrawn on a terminal, every quarter otherwise. */
export function progressPrinter(out: NodeJS.WritableStream & { isTTY?: boolean }) {
  let quarter = -1;
  return ({ bytes, total }: { bytes: number; total: number }) => {
    const pct = total === 0 ? 100 : Math.floor((bytes / total) * 100);
    const text = `upload ${pct}% (${(bytes / 1048576).toFixed(1)}/${(total / 1048576).toFixed(1)} MiB)`;
    if (out.isTTY) out.write(`\r${text}${bytes === total ? '\n' : ''}`);
    else if (Math.floor(pct / 25) > quarter) {
      quarter = Math.floor(pct / 25);
      out.write(`${text}\n`);
    }
  };
}

/**
 * For the engines whose context already holds the record's plan object (upgrade, customization): the release and
 * the modules are set, in that object, to the shipped package's files before the engine reads them.
 */
export async function shipIntoPlan(
  host: Host,
  record: DeploymentRecord,
  o: ShipOptions & { warn(text: string): void },
): Promise<void> {
  const shipped = await recordForRun(host, record, o);
  record.plan.dolibarr = shipped.plan.dolibarr;
  record.plan.customModules = shipped.plan.customModules;
}
