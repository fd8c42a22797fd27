import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/core/record.js';
import { decideRetention, packageRetention, type StoredPackage } from '../../src/package/retention.js';
import { newRecord } from '../helpers/records.js';

const now = new Date('2026-12-06T12:00:00Z');
const hour = 3_600_000;
const h = (c: string) => c.repeat(64);
const pkg = (hash: string, hoursAgo: number, deploymentId = 'acme-2026-12'): StoredPackage => ({
  deploymentId,
  hash,
  names: [`${hash}.json`, `${hash}.tar`],
  modifiedMs: now.getTime() - hoursAgo * hour,
});
const leftover = (name: string, hoursAgo: number): StoredPackage => ({
  deploymentId: 'acme-2026-12',
  names: [name],
  modifiedMs: now.getTime() - hoursAgo * hour,
});
const recordWith = (
  state: DeploymentRecord['state'],
  current: string,
  approved?: string,
): DeploymentRecord => ({
  ...newRecord(),
  id: 'acme-2026-12',
  state,
  package: { hash: current } as DeploymentRecord['package'],
  ...(approved
    ? {
        approval: {
          stamp: { by: 'dave', role: 'deployment-manager', at: now.toISOString() },
          planHash: 'p',
          packageHash: approved,
        },
      }
    : {}),
});
const decide = (stored: StoredPackage[], record?: DeploymentRecord, keepLast = 2) =>
  decideRetention(stored, new Map(record ? [[record.id, record]] : []), now, {
    ...packageRetention,
    keepLast,
  });
const kept = (r: ReturnType<typeof decide>) =>
  Object.fromEntries(r.keep.map((k) => [k.item.names[0], k.why]));
const pruned = (r: ReturnType<typeof decide>) => r.prune.map((p) => p.names[0]);

describe('package retention (issue 22): what the store keeps', () => {
  const five = [pkg(h('1'), 50), pkg(h('2'), 40), pkg(h('3'), 30), pkg(h('4'), 20), pkg(h('5'), 10)];

  it('keeps the approved one, the current one of an active record and the newest N; prunes the rest', () => {
    const r = decide(five, recordWith('submitted', h('3'), h('1')));
    expect(kept(r)).toEqual({
      [`${h('1')}.json`]: 'approved',
      [`${h('3')}.json`]: 'current',
      [`${h('4')}.json`]: 'recent',
      [`${h('5')}.json`]: 'recent',
    });
    expect(pruned(r)).toEqual([`${h('2')}.json`]);
  });

  it('never prunes the package an approval binds, even of a closed record and with --keep 0', () => {
    const r = decide(five, recordWith('closed', h('5'), h('2')), 0);
    expect(kept(r)).toEqual({ [`${h('2')}.json`]: 'approved' });
    expect(pruned(r)).toHaveLength(4); // the closed record's current package is no longer in use
  });

  it('a live record keeps its current package; packages of an unknown deployment keep only the newest N', () => {
    expect(kept(decide(five, recordWith('live', h('1')), 0))).toEqual({ [`${h('1')}.json`]: 'current' });
    const other = [
      pkg(h('a'), 5, 'gone-2026-01'),
      pkg(h('b'), 3, 'gone-2026-01'),
      pkg(h('c'), 1, 'gone-2026-01'),
    ];
    expect(pruned(decide(other, undefined, 1))).toEqual([`${h('a')}.json`, `${h('b')}.json`]);
  });

  it('build leftovers go once stale (a build may be running)', () => {
    const r = decide([
      leftover('build-abc', 1),
      leftover('build-old', 30),
      leftover(`${h('9')}.tar.partial`, 25),
    ]);
    expect(kept(r)).toEqual({ 'build-abc': 'building' });
    expect(pruned(r)).toEqual(['build-old', `${h('9')}.tar.partial`]);
  });
});
