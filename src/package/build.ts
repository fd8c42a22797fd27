import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { inputError } from '../core/errors.js';
import type { Plan } from '../core/plan.js';
import type { Policy } from '../policy/types.js';
import { moduleCompatibilityProblems } from '../dolibarr/module-compatibility.js';
import { readModuleDescriptor } from '../dolibarr/module-descriptor.js';
import { renderedConfig } from './config.js';
import { manifestBytes, manifestFiles, packageHash, type PackageManifest } from './manifest.js';
import { checkReleaseTarball, type FileCheck } from './release-check.js';
import { copyInto, resolveOrigin } from './sources.js';
import { packagePaths, writePackageTar } from './store.js';
import { hashFile, listFiles } from './tree.js';

/**
 * `mokodeploy package` (issue 22, policy Phase 1 step 2 "Prepare deployment package"), on the operator's machine:
 * the release tarball (checked against Dolibarr's own file list), each custom module as a directory (archives
 * extracted, descriptors checked against the release and, when known, the target's PHP), the plan's data files
 * and the rendered configuration, with a manifest whose sha256 is the package hash. Kept in the store as
 * packages/<deployment>/<hash>.tar beside <hash>.json (the manifest).
 */
export interface BuildInput {
  plan: Plan;
  policy: Policy;
  deploymentId: string;
  /** The store directory (packages/ and downloads/ live under it). */
  home: string;
  /** Target php-cli version from the last validation, when there is one. */
  phpVersion?: string;
  /** The plan file: data files are relative to it, as `migrate` reads them (src/migrate/plan-data.ts). */
  planFile?: string;
}

export interface BuiltPackage {
  hash: string;
  manifest: PackageManifest;
  tar: string;
  fileCheck: FileCheck;
  releaseSha256: string;
  bytes: number;
  /** Module compatibility problems (refused by the caller). */
  moduleProblems: string[];
}

export async function buildPackage(input: BuildInput): Promise<BuiltPackage> {
  const { plan, home } = input;
  const paths = packagePaths(home, input.deploymentId);
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  const work = mkdtempSync(join(paths.dir, 'build-'));
  try {
    const tree = join(work, 'package');
    mkdirSync(join(tree, 'release'), { recursive: true });
    const origins: PackageManifest['origins'] = [];

    const release = await resolveOrigin(plan.dolibarr.release, plan.dolibarr.sha256, paths.downloads, 'dolibarr.release');
    const releaseFile = `release/${releaseName(plan)}`;
    copyInto(release.local, join(tree, releaseFile));
    const releaseSha256 = await hashFile(join(tree, releaseFile));
    if (plan.dolibarr.sha256 && plan.dolibarr.sha256 !== releaseSha256)
      throw inputError(`dolibarr.release: ${release.from} has sha256 ${releaseSha256}, the plan says ${plan.dolibarr.sha256}`, {
        fix: 'point dolibarr.release at the tarball the plan means, or correct dolibarr.sha256',
      });
    origins.push({ path: releaseFile, from: release.from, sha256: releaseSha256 });
    mkdirSync(join(work, 'extracted'));
    const checked = await checkReleaseTarball(join(tree, releaseFile), join(work, 'extracted'));
    if (checked.version !== plan.dolibarr.version)
      throw inputError(`dolibarr.release holds Dolibarr ${checked.version}, the plan says ${plan.dolibarr.version}`);
    const fileList = `release/${checked.fileListName}`;
    copyInto(join(checked.root, 'htdocs', 'install', checked.fileListName), join(tree, fileList));
    // what verification holds the installed release to: the list, with the deviations found here (under an exception)
    writeFileSync(join(tree, fileCheckFile), `${JSON.stringify(checked.check, null, 1)}\n`);

    const modules: PackageManifest['modules'] = [];
    const moduleProblems: string[] = [];
    for (const [i, m] of plan.customModules.entries()) {
      const origin = await resolveOrigin(m.source, m.sha256, paths.downloads, `customModules[${i}].source`);
      const dir = `modules/${m.name}`;
      await copyModule(origin.local, m.source, m.name, join(tree, dir), join(work, `module-${i}`));
      const sha256 = isDir(origin.local) ? treeDigest(join(tree, dir)) : await hashFile(origin.local);
      origins.push({ path: dir, from: origin.from, sha256 });
      modules.push({ name: m.name, dir });
      moduleProblems.push(...moduleProblemsOf(join(tree, dir), m.name, checked.version, input.phpVersion));
    }

    const data: PackageManifest['data'] = [];
    for (const [i, d] of plan.data.entries()) {
      const origin = await resolveOrigin(dataPath(d.file, input.planFile), undefined, paths.downloads, `data[${i}].file`);
      const path = `data/${i + 1}-${basename(d.file)}`;
      mkdirSync(join(tree, 'data'), { recursive: true });
      copyInto(origin.local, join(tree, path));
      origins.push({ path, from: origin.from, sha256: await hashFile(join(tree, path)) });
      data.push({ path });
    }

    const config = renderedConfig(plan, input.policy);
    mkdirSync(join(tree, 'config'), { recursive: true });
    for (const [path, content] of Object.entries(config)) writeFileSync(join(tree, path), content);

    const files = await manifestFiles(tree);
    const manifest: PackageManifest = {
      format: 'mokodeploy-package/1',
      client: plan.client,
      dolibarrVersion: checked.version,
      release: { file: releaseFile, fileList },
      modules,
      data,
      config: Object.keys(config),
      origins,
      files,
    };
    const bytes = manifestBytes(manifest);
    const hash = packageHash(bytes);
    writeFileSync(join(tree, 'manifest.json'), bytes);
    const tar = paths.tar(hash);
    if (!existsSync(tar)) {
      writePackageTar(tree, `${tar}.partial`);
      renameSync(`${tar}.partial`, tar);
    }
    writeFileSync(paths.manifest(hash), bytes, { mode: 0o600 });
    return {
      hash,
      manifest,
      tar,
      fileCheck: checked.check,
      releaseSha256,
      bytes: files.reduce((n, f) => n + f.size, 0),
      moduleProblems,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A data file as `migrate` finds it: relative to the plan file (src/migrate/plan-data.ts). */
export const dataPath = (file: string, planFile?: string) => resolve(planFile ? dirname(resolve(planFile)) : process.cwd(), file);

/** The release's file check, in the package: what `verify` compares the installed release with. */
export const fileCheckFile = 'release/filecheck.json';
const releaseName = (plan: Plan) => `dolibarr-${plan.dolibarr.version}.tgz`;
const isDir = (p: string) => existsSync(p) && listable(p);
function listable(p: string): boolean {
  try {
    readdirSync(p);
    return true;
  } catch {
    return false;
  }
}

/** A directory is copied; a .tgz / .zip is extracted and must hold one top directory named after the module. */
async function copyModule(local: string, named: string, name: string, dest: string, scratch: string): Promise<void> {
  if (isDir(local)) {
    listFiles(local); // refuses links before anything is copied
    cpSync(local, dest, { recursive: true, verbatimSymlinks: true });
    return;
  }
  mkdirSync(scratch, { recursive: true });
  if (/\.(tgz|tar\.gz)$/.test(named) || /\.(tgz|tar\.gz)$/.test(local))
    execFileSync('tar', ['-xzf', local, '-C', scratch, '--no-same-owner', '--no-same-permissions']);
  else if (/\.zip$/.test(named)) execFileSync('unzip', ['-q', local, '-d', scratch]);
  else throw inputError(`custom module ${name}: ${named} is neither a directory nor a .tgz / .zip archive`);
  if (!existsSync(join(scratch, name)))
    throw inputError(`custom module ${name}: ${named} has no top directory ${name}/`, {
      fix: `pack the module as ${name}/core/modules/mod*.class.php ...`,
    });
  listFiles(join(scratch, name));
  cpSync(join(scratch, name), dest, { recursive: true });
}

function moduleProblemsOf(dir: string, name: string, dolibarrVersion: string, phpVersion?: string): string[] {
  const modulesDir = join(dir, 'core', 'modules');
  const file = existsSync(modulesDir) ? readdirSync(modulesDir).find((f) => /^mod.*\.class\.php$/.test(f)) : undefined;
  const descriptor = file ? readModuleDescriptor(readFileSync(join(modulesDir, file), 'utf8')) : undefined;
  if (!descriptor) return [`${name}: no core/modules/mod*.class.php descriptor found`];
  // without a validation the target's PHP is unknown here: the install's check-modules step checks it on the target
  const problems = moduleCompatibilityProblems(descriptor, { phpVersion: phpVersion ?? '0', dolibarrVersion });
  return phpVersion ? problems : problems.filter((p) => !/ PHP /.test(p));
}

/** A module directory's identity: sha256 over its files' "sha256  path" lines. */
function treeDigest(dir: string): string {
  const lines = listFiles(dir).map((p) => `${hashFileSync(join(dir, p))}  ${p}\n`);
  return packageHash(Buffer.from(lines.join('')));
}

function hashFileSync(path: string): string {
  return packageHash(readFileSync(path));
}
