import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Where packages live in the store: packages/<deployment>/<hash>.tar and <hash>.json; downloads by sha256. */
export function packagePaths(home: string, deploymentId: string) {
  const dir = join(home, 'packages', deploymentId);
  return {
    dir,
    downloads: join(home, 'downloads'),
    tar: (hash: string) => join(dir, `${hash}.tar`),
    manifest: (hash: string) => join(dir, `${hash}.json`),
  };
}

/**
 * One uncompressed tar of the package tree (the release inside is compressed already), written the same way
 * every time (sorted names, fixed owner, mode and date), so an interrupted upload resumes on identical bytes.
 */
export function writePackageTar(tree: string, out: string): void {
  execFileSync('tar', [
    '--sort=name',
    '--mtime=@0',
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    '--mode=u+rwX,go+rX,go-w',
    '--format=gnu',
    '-cf',
    out,
    '-C',
    tree,
    '.',
  ]);
}
