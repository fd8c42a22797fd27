import { lstatSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DeploymentRecord } from '../core/record.js';
import {
  decideRetention,
  packageRetention,
  type PackageRetention,
  type RetentionDecision,
  type StoredPackage,
} from './retention.js';

const packageName = /^([0-9a-f]{64})\.(tar|json|tar\.partial)$/;

/** What packages/<deployment>/ holds: packages by hash (tar, manifest, partial tar) and build work directories. */
export function readStoredPackages(home: string, deploymentId?: string): StoredPackage[] {
  const root = join(home, 'packages');
  const ids = deploymentId ? [deploymentId] : namesIn(root);
  return ids.flatMap((id) => {
    const dir = join(root, id);
    const byHash = new Map<string, StoredPackage>();
    const leftovers: StoredPackage[] = [];
    for (const name of namesIn(dir)) {
      const modifiedMs = statSync(join(dir, name)).mtimeMs;
      const m = packageName.exec(name);
      if (m?.[2] === 'tar.partial' || (!m && name.startsWith('build-'))) {
        leftovers.push({ deploymentId: id, names: [name], modifiedMs });
        continue;
      }
      if (!m) continue; // not ours: left alone
      const item = byHash.get(m[1]!) ?? { deploymentId: id, hash: m[1]!, names: [], modifiedMs: 0 };
      item.names.push(name);
      item.modifiedMs = Math.max(item.modifiedMs, modifiedMs);
      byHash.set(m[1]!, item);
    }
    return [...byHash.values(), ...leftovers];
  });
}

export interface PruneResult extends RetentionDecision {
  bytes: number;
}

/** Remove what the retention rule does not keep (nothing with `dryRun`); returns the decision and the bytes freed. */
export function prunePackages(o: {
  home: string;
  records: readonly DeploymentRecord[];
  now: Date;
  deploymentId?: string;
  rule?: PackageRetention;
  dryRun?: boolean;
}): PruneResult {
  const stored = readStoredPackages(o.home, o.deploymentId);
  const records = new Map(o.records.map((r) => [r.id, r]));
  const decision = decideRetention(stored, records, o.now, o.rule ?? packageRetention);
  let bytes = 0;
  for (const item of decision.prune)
    for (const name of item.names) {
      const path = join(o.home, 'packages', item.deploymentId, name);
      bytes += sizeOf(path);
      if (!o.dryRun) rmSync(path, { recursive: true, force: true });
    }
  return { ...decision, bytes };
}

function namesIn(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function sizeOf(path: string): number {
  const s = lstatSync(path);
  if (!s.isDirectory()) return s.size;
  return namesIn(path).reduce((sum, n) => sum + sizeOf(join(path, n)), 0);
}
