import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../core/errors.js';
import { readDolVersion } from '../dolibarr/version.js';
import { parseFileList, scannedByFileCheck, type FileList } from './filelist.js';
import { hashFile, listFiles } from './tree.js';

/** A release compared with its own file list: paths relative to the release root (htdocs/..., scripts/...). */
export interface FileCheck {
  listed: number;
  missing: string[];
  changed: string[];
  added: string[];
  /** md5 of each changed and added file as found in the tarball (what verification later accepts, under an exception). */
  found: Record<string, string>;
}

export interface CheckedRelease {
  version: string;
  /** Where the tarball was extracted (the top directory dolibarr-X.Y.Z/). */
  root: string;
  fileListName: string;
  fileList: FileList;
  check: FileCheck;
}

/** Extract a release tarball into `into` (a fresh temp dir) and compare it with its htdocs/install/filelist-X.Y.Z.xml. */
export async function checkReleaseTarball(tarball: string, into: string): Promise<CheckedRelease> {
  execFileSync('tar', ['-xzf', tarball, '-C', into, '--no-same-owner', '--no-same-permissions'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const tops = readdirSync(into);
  const root = tops.length === 1 ? join(into, tops[0]!) : into;
  const filefunc = join(root, 'htdocs', 'filefunc.inc.php');
  if (!existsSync(filefunc))
    throw inputError(`${tarball}: no htdocs/filefunc.inc.php: not a Dolibarr release`, {
      fix: 'point dolibarr.release at an official Dolibarr release tarball (dolibarr-X.Y.Z.tgz)',
    });
  const versionInc = join(root, 'htdocs', 'version.inc.php');
  const version = readDolVersion({
    filefunc: readFileSync(filefunc, 'utf8'),
    versionInc: existsSync(versionInc) ? readFileSync(versionInc, 'utf8') : undefined,
  });
  if (!version) throw inputError(`${tarball}: no DOL_VERSION in htdocs/filefunc.inc.php or htdocs/version.inc.php`);
  const fileListName = `filelist-${version}.xml`;
  const listPath = join(root, 'htdocs', 'install', fileListName);
  if (!existsSync(listPath))
    throw inputError(`${tarball}: no htdocs/install/${fileListName}, Dolibarr's own list of the release's files`, {
      fix: 'use an official release tarball: every Dolibarr release carries its file list',
    });
  const fileList = parseFileList(readFileSync(listPath, 'utf8'), `htdocs/install/${fileListName}`);
  return { version, root, fileListName, fileList, check: await compareTree(root, fileList) };
}

/**
 * Missing and changed: every listed file, by md5 (getFilesUpdated(), core/lib/files.lib.php). Added: every
 * file under htdocs/ that filecheck.php scans and the list does not name (htdocs/custom is not scanned).
 */
export async function compareTree(root: string, list: FileList): Promise<FileCheck> {
  const missing: string[] = [];
  const changed: string[] = [];
  const found: Record<string, string> = {};
  for (const [path, listed] of list.files) {
    const full = join(root, path);
    if (!existsSync(full) || !statSync(full).isFile()) {
      missing.push(path);
      continue;
    }
    const md5 = await hashFile(full, 'md5');
    if (md5 !== listed.md5) {
      changed.push(path);
      found[path] = md5;
    }
  }
  const added = existsSync(join(root, 'htdocs'))
    ? listFiles(join(root, 'htdocs'))
        .map((p) => `htdocs/${p}`)
        .filter((p) => scannedByFileCheck(p, list.includeCustom) && !list.files.has(p))
    : [];
  for (const path of added) found[path] = await hashFile(join(root, path), 'md5');
  return { listed: list.files.size, missing, changed, added, found };
}

export const findingsOf = (c: FileCheck): string[] => [
  ...c.missing.map((p) => `missing: ${p}`),
  ...c.changed.map((p) => `changed: ${p}`),
  ...c.added.map((p) => `added: ${p}`),
];
