import { posix } from 'node:path';
import type { DeploymentRecord } from '../core/record.js';
import type { Command, Host } from '../hosts/host.js';
import { parseFileList, scannedByFileCheck } from './filelist.js';
import { packageHash, type PackageManifest } from './manifest.js';
import type { FileCheck } from './release-check.js';
import { targetPackage } from './target-commands.js';

/**
 * After go-live (issue 22): the files `current` serves against what was approved. The release against Dolibarr's
 * own file list (md5, as admin/system/filecheck.php) with the deviations the package recorded under an exception,
 * and each custom module against the package manifest (sha256). The reference comes from the verified package
 * directory on the target, itself checked against the package hash on the record.
 */
export interface InstalledCheck {
  /** Why the check could not run (no package, the package copy missing or changed). */
  unknown?: string;
  release: { checked: number; changed: string[]; missing: string[]; added: string[] };
  modules: { name: string; checked: number; changed: string[]; added: string[] }[];
}

const empty = { checked: 0, changed: [], missing: [], added: [] };

export async function checkInstalled(host: Host, record: DeploymentRecord): Promise<InstalledCheck> {
  if (!record.package) return { unknown: 'no deployment package on the record', release: empty, modules: [] };
  const p = targetPackage(record.plan.target.root, record.package.hash);
  const manifestText = await readRoot(host, posix.join(p.dir, 'manifest.json'));
  if (manifestText === undefined || packageHash(Buffer.from(manifestText)) !== record.package.hash)
    return { unknown: `the package copy in ${p.dir} is missing or changed: no reference to compare with`, release: empty, modules: [] };
  const m = JSON.parse(manifestText) as PackageManifest;
  const current = posix.join(record.plan.target.root, 'current');
  const listText = await readChecked(host, p.dir, m, m.release.fileList);
  const checkText = await readChecked(host, p.dir, m, 'release/filecheck.json');
  if (listText === undefined || checkText === undefined)
    return { unknown: `the file list in ${p.dir} is missing or differs from the manifest`, release: empty, modules: [] };
  const release = await checkRelease(host, current, listText, JSON.parse(checkText) as FileCheck);
  const modules = [];
  for (const mod of m.modules) modules.push(await checkModule(host, current, m, mod));
  return { release, modules };
}

async function checkRelease(host: Host, current: string, listText: string, known: FileCheck) {
  const list = parseFileList(listText);
  const expected = new Map<string, string>();
  const missingBefore = new Set(known.missing);
  for (const [path, f] of list.files) if (!missingBefore.has(path)) expected.set(path, known.found[path] ?? f.md5);
  for (const path of known.added) expected.set(path, known.found[path]!);
  const { changed, missing } = await sumCheck(host, 'md5sum', current, expected);
  const found = await filesUnder(host, posix.join(current, 'htdocs'));
  const added = found
    .map((f) => `htdocs/${f}`)
    .filter((f) => scannedByFileCheck(f, list.includeCustom) && !expected.has(f) && !missingBefore.has(f));
  return { checked: expected.size, changed, missing, added };
}

async function checkModule(host: Host, current: string, m: PackageManifest, mod: PackageManifest['modules'][number]) {
  const prefix = `${mod.dir}/`;
  const expected = new Map(
    m.files.filter((f) => f.path.startsWith(prefix)).map((f) => [f.path.slice(prefix.length), f.sha256]),
  );
  const dir = posix.join(current, 'htdocs', 'custom', mod.name);
  const { changed, missing } = await sumCheck(host, 'sha256sum', dir, expected);
  const added = (await filesUnder(host, dir)).filter((f) => !expected.has(f));
  return { name: mod.name, checked: expected.size, changed: [...changed, ...missing], added };
}

/** `md5sum|sha256sum --check --quiet` over `dir/<path>`: the files whose sum differs, and those missing. */
async function sumCheck(host: Host, tool: 'md5sum' | 'sha256sum', dir: string, expected: Map<string, string>) {
  const stdin = [...expected].map(([path, sum]) => `${sum}  ${dir}/${path}\n`).join('');
  const r = await host.run({ sudo: true, argv: [tool, '--check', '--quiet', '-'], stdin, timeoutMs: 600_000 });
  const changed: string[] = [];
  const missing: string[] = [];
  for (const line of r.stdout.split('\n')) {
    const f = /^(.*): FAILED( open or read)?$/.exec(line);
    if (!f) continue;
    const rel = f[1]!.startsWith(`${dir}/`) ? f[1]!.slice(dir.length + 1) : f[1]!;
    (f[2] ? missing : changed).push(rel);
  }
  if (r.code !== 0 && changed.length + missing.length === 0)
    throw new Error(`${tool} --check in ${dir} on ${host.name}: ${r.stderr.trim() || `exit ${r.code}`}`);
  return { changed, missing };
}

async function filesUnder(host: Host, dir: string): Promise<string[]> {
  const c: Command = { sudo: true, argv: ['find', '-P', dir, '-type', 'f', '-printf', '%P\\n'], maxOutputBytes: 64 * 1024 * 1024 };
  const r = await host.run(c);
  return r.code === 0 ? r.stdout.split('\n').filter((l) => l !== '') : [];
}

async function readRoot(host: Host, path: string): Promise<string | undefined> {
  const r = await host.run({ sudo: true, argv: ['cat', '--', path], maxOutputBytes: 64 * 1024 * 1024 });
  return r.code === 0 ? r.stdout : undefined;
}

/** A package file read on the target, taken only when its sha256 is the manifest's. */
async function readChecked(host: Host, dir: string, m: PackageManifest, path: string): Promise<string | undefined> {
  const text = await readRoot(host, posix.join(dir, path));
  const want = m.files.find((f) => f.path === path)?.sha256;
  return text !== undefined && want === packageHash(Buffer.from(text)) ? text : undefined;
}
