import { posix } from 'node:path';
import type { Command } from '../hosts/host.js';
import { sha256sumList, type PackageManifest } from './manifest.js';

/**
 * The package on the target (issue 22), as commands built as data (STYLE.md 1): <target.root>/packages/<hash>.tar
 * as uploaded, extracted into <target.root>/packages/<hash>/ (root's, read-only to others), then every file checked
 * by sha256 against the approved manifest, which travels on stdin from this machine (never read back from the target).
 */
export interface TargetPackage {
  hash: string;
  /** <root>/packages */
  base: string;
  tar: string;
  dir: string;
  verified: string;
}

export function targetPackage(root: string, hash: string): TargetPackage {
  const base = posix.join(root, 'packages');
  const dir = posix.join(base, hash);
  return { hash, base, tar: `${dir}.tar`, dir, verified: posix.join(dir, '.verified') };
}

/** Extract the tar into a fresh directory (a half-extracted one from a killed run is removed first). */
export function extractCommands(p: TargetPackage, tar: string): Command[] {
  return [
    { sudo: true, argv: ['rm', '-rf', '--', p.dir] },
    { sudo: true, argv: ['mkdir', '-p', '-m', '0755', '--', p.dir] },
    {
      sudo: true,
      argv: ['tar', '-xf', tar, '-C', p.dir, '--no-same-owner', '--no-same-permissions', '--delay-directory-restore'],
      timeoutMs: 600_000,
    },
    { sudo: true, argv: ['chmod', '-R', 'u=rwX,go=rX', '--', p.dir] },
  ];
}

/** Every file of the manifest by sha256 on the target; `--quiet` prints only the files that fail. */
export function checkCommand(p: TargetPackage, m: PackageManifest): Command {
  return {
    sudo: true,
    argv: ['sha256sum', '--check', '--strict', '--quiet', '-'],
    stdin: sha256sumList(m, p.dir),
    timeoutMs: 600_000,
  };
}

/** The files under the package directory, to find any the manifest does not list. */
export function listCommand(p: TargetPackage): Command {
  return { sudo: true, argv: ['find', '-P', p.dir, '-type', 'f', '-printf', '%P\\n'], maxOutputBytes: 64 * 1024 * 1024 };
}

export const markVerifiedCommand = (p: TargetPackage): Command => ({
  sudo: true,
  argv: ['sh', '-c', 'umask 022 && printf "%s\\n" "$1" > "$2"', 'mark-verified', p.hash, p.verified],
});

export const isVerifiedCommand = (p: TargetPackage): Command => ({ sudo: true, argv: ['cat', '--', p.verified] });

/** Which files `sha256sum --check --quiet` named (lines "path: FAILED" / "path: FAILED open or read"), as package paths. */
export function failedFiles(output: string, p: TargetPackage): string[] {
  return output
    .split('\n')
    .map((l) => /^(.*): FAILED/.exec(l)?.[1])
    .filter((f): f is string => f !== undefined)
    .map((f) => (f.startsWith(`${p.dir}/`) ? f.slice(p.dir.length + 1) : f));
}
