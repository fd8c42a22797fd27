import type { Host } from '../hosts/host.js';
import type { Plan } from '../core/plan.js';
import { readModuleDescriptor, type ModuleDescriptor } from '../dolibarr/module-descriptor.js';
import type { DbClient } from '../verify/db-query.js';

/**
 * Custom modules as deployed: the descriptor read from the live release (htdocs/custom/<name>/core/modules/
 * mod*.class.php, src/dolibarr/module-descriptor.ts), the source and checksum from the plan, and whether
 * Dolibarr has it enabled (MAIN_MODULE_<NAME> in llx_const).
 */
export interface DeployedModule {
  name: string;
  source: string;
  sha256?: string;
  descriptor?: ModuleDescriptor;
  enabled?: boolean;
  path?: string;
}

export async function readDeployedModules(host: Host, db: DbClient, plan: Plan): Promise<DeployedModule[]> {
  const enabled = new Set(
    (
      await db
        .query("SELECT name FROM llx_const WHERE name LIKE 'MAIN\\_MODULE\\_%' AND value <> '0'")
        .catch(() => [])
    ).map((r) => r[0]),
  );
  const out: DeployedModule[] = [];
  for (const m of plan.customModules) {
    const dir = `${plan.target.root}/current/htdocs/custom/${m.name}/core/modules`;
    const found = await host.run({
      argv: ['find', dir, '-maxdepth', '1', '-name', 'mod*.class.php', '-type', 'f'],
    });
    const path = found.stdout.split('\n').find((l) => l.trim() !== '');
    const descriptor = path ? readModuleDescriptor((await host.readFile(path)).toString('utf8')) : undefined;
    const constName = descriptor
      ? `MAIN_MODULE_${descriptor.className.replace(/^mod/, '').toUpperCase()}`
      : undefined;
    out.push({
      name: m.name,
      source: m.source,
      sha256: m.sha256,
      descriptor,
      enabled: constName ? enabled.has(constName) : undefined,
      path,
    });
  }
  return out;
}
