import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../helpers/cli.js';
import { packagingWorkspace } from '../helpers/cli-deploy-workspace.js';

/**
 * Old package tars are pruned (issue 22 defect): `package <id>` keeps the package the approval binds, the record's
 * current one and the newest N of the deployment, and removes the others; `package --prune [--keep N] [--dry-run]`
 * does the same for every deployment without building.
 */
const id = 'acme-2026-12';
let ws: Workspace;
let moduleDir: string;
let json: ReturnType<typeof packagingWorkspace>['json'];
let dir: string;

const tars = () =>
  readdirSync(dir)
    .filter((n) => n.endsWith('.tar'))
    .sort();
/** A new package: one byte of the custom module changed. */
const rebuild = (n: number) => {
  writeFileSync(join(moduleDir, 'README.md'), `# mokotest build ${n}\n`);
  return json(['package', id, '--as', 'tina']);
};

beforeAll(() => {
  ({ ws, moduleDir, json } = packagingWorkspace());
  dir = join(ws.dir, '.mokodeploy', 'packages', id);
}, 120_000);

describe('package pruning', () => {
  const hashes: string[] = [];
  it('a build keeps the approved package, the current one and the newest two; the others go', () => {
    hashes.push(rebuild(1).hash);
    expect(ws.run(['approve', id, '--as', 'dave']).code).toBe(0);
    for (const n of [2, 3]) hashes.push(rebuild(n).hash);
    expect(tars()).toEqual([...hashes].sort().map((h) => `${h}.tar`)); // three so far: nothing to prune
    const fourth = rebuild(4);
    hashes.push(fourth.hash);
    // approved #1 (its approval is voided for the record, but binds #1), newest #3 and #4 (current); #2 goes
    expect(fourth.pruned).toEqual([`packages/${id}/${hashes[1]}.json`, `packages/${id}/${hashes[1]}.tar`]);
    expect(tars()).toEqual([hashes[0], hashes[2], hashes[3]].sort().map((h) => `${h}.tar`));
    const record = json(['show', id]);
    expect(record.approval.packageHash).toBe(hashes[0]);
  }, 240_000);

  it('package --prune --keep 0 --dry-run lists, then --prune removes; the approved and the current stay', () => {
    mkdirSync(join(dir, 'build-stale'), { recursive: true });
    writeFileSync(join(dir, 'build-stale', 'x'), 'left by a killed build');
    utimesSync(join(dir, 'build-stale'), new Date('2026-01-01'), new Date('2026-01-01'));
    mkdirSync(join(dir, 'build-running'), { recursive: true });
    const dry = ws.run(['package', '--prune', '--keep', '0', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('would remove 2 old package(s) or build leftover(s)');
    expect(dry.stdout).toContain(`packages/${id}/${hashes[2]}.tar`);
    expect(dry.stdout).toContain(`packages/${id}/build-stale`);
    expect(tars()).toHaveLength(3);
    const r = json(['package', '--prune', '--keep', '0']);
    expect(r.pruned).toEqual([
      `packages/${id}/build-stale`,
      `packages/${id}/${hashes[2]}.json`,
      `packages/${id}/${hashes[2]}.tar`,
    ]);
    expect(tars()).toEqual([hashes[0], hashes[3]].sort().map((h) => `${h}.tar`));
    expect(existsSync(join(dir, `${hashes[0]}.json`))).toBe(true);
    expect(existsSync(join(dir, 'build-running'))).toBe(true);
  });

  it('a --keep that is not a number is refused, nothing removed', () => {
    const r = ws.run(['package', '--prune', '--keep', 'all']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--keep: expected a whole number of packages (0 to 999), got "all"');
    expect(tars()).toHaveLength(2);
  });
});
