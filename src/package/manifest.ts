import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { hashFile, listFiles } from './tree.js';

/**
 * The package manifest (issue 22): every file of the package with its size and sha256, and where each part came
 * from. Its canonical JSON is hashed into the package hash the approval covers, so changing one byte of one file
 * (or of the manifest) makes another package. Nothing time-dependent goes in: the same inputs give the same hash.
 */
export interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
}

export interface PackageManifest {
  format: 'mokodeploy-package/1';
  client: string;
  dolibarrVersion: string;
  /** The release tarball and Dolibarr's file list, paths inside the package. */
  release: { file: string; fileList: string };
  modules: { name: string; dir: string }[];
  data: { path: string }[];
  config: string[];
  origins: { path: string; from: string; sha256: string }[];
  files: ManifestFile[];
}

export async function manifestFiles(dir: string): Promise<ManifestFile[]> {
  const out: ManifestFile[] = [];
  for (const path of listFiles(dir)) {
    const full = join(dir, path);
    out.push({ path, size: statSync(full).size, sha256: await hashFile(full) });
  }
  return out;
}

/** The manifest's bytes as stored and shipped: JSON with keys in a fixed order (the object is built in that order). */
export function manifestBytes(m: PackageManifest): Buffer {
  return Buffer.from(`${JSON.stringify(m, null, 1)}\n`);
}

export function packageHash(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** `sha256sum --check` input for the package's files under `dir` on the target (paths are the manifest's). */
export function sha256sumList(m: PackageManifest, dir: string): string {
  return m.files.map((f) => `${f.sha256}  ${dir}/${f.path}\n`).join('');
}
