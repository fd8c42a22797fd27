import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** Every entry under `dir` as "path type mode content-or-target", sorted: two equal snapshots mean equal trees. */
export function snapshotTree(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(dir, rel)).sort()) {
    const path = join(rel, name);
    const st = lstatSync(join(dir, path));
    const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
    if (st.isSymbolicLink()) out.push(`${path} link -> ${readlinkSync(join(dir, path))}`);
    else if (st.isDirectory()) out.push(`${path}/ dir ${mode}`, ...snapshotTree(dir, path));
    else out.push(`${path} file ${mode} ${JSON.stringify(readFileSync(join(dir, path), 'utf8'))}`);
  }
  return out;
}
