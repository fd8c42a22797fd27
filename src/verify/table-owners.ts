import { posix } from 'node:path';
import type { VerifyContext } from './context.js';
import { refusedWhy } from './target-probe.js';

/**
 * Whose a database table is, from the release on the target (issue 14 point 11): Dolibarr creates its own
 * tables from htdocs/install/mysql/tables/llx_<name>.sql (e.g. llx_user_param.sql, which has a unique key
 * and no primary key in 19.0.4 and 20.0.2), a custom module from htdocs/custom/<module>/sql/llx_<name>.sql
 * (loaded by _load_tables() of core/modules/DolibarrModules.class.php). A file may carry a suffix
 * (llx_societe_perentity-multicompany.sql) and key files end in .key.sql.
 */
export type TableOwner = { kind: 'core' } | { kind: 'module'; module: string } | { kind: 'unknown' };

const tableOf = (file: string) =>
  posix
    .basename(file)
    .replace(/\.sql$/, '')
    .replace(/\.key$/, '')
    .replace(/-.*$/, '');

export function classifyTables(files: string[], htdocs: string): Map<string, TableOwner> {
  const owners = new Map<string, TableOwner>();
  const core = posix.join(htdocs, 'install', 'mysql', 'tables') + '/';
  const custom = posix.join(htdocs, 'custom') + '/';
  for (const file of files) {
    if (file.startsWith(core)) owners.set(tableOf(file), { kind: 'core' });
    else if (file.startsWith(custom) && !owners.has(tableOf(file)))
      owners.set(tableOf(file), { kind: 'module', module: file.slice(custom.length).split('/')[0]! });
  }
  return owners;
}

export const ownerText = (o: TableOwner | undefined): string =>
  o?.kind === 'core'
    ? 'Dolibarr core'
    : o?.kind === 'module'
      ? `custom module ${o.module}`
      : 'neither Dolibarr nor an installed custom module';

/** The table files of the deployed release and its custom modules, read on the target as root. */
export async function readTableOwners(
  ctx: VerifyContext,
): Promise<{ owners: Map<string, TableOwner>; why?: string }> {
  const htdocs = ctx.paths.htdocs;
  const r = await ctx.host.run({
    argv: [
      'sh',
      '-c',
      'for d; do if [ -d "$d" ]; then find -L "$d" -name "llx_*.sql"; fi; done; exit 0',
      'table-files',
      posix.join(htdocs, 'install', 'mysql', 'tables'),
      posix.join(htdocs, 'custom'),
    ],
    sudo: true,
    timeoutMs: 30_000,
  });
  if (r.code !== 0) return { owners: new Map(), why: refusedWhy(r) ?? (r.stderr.trim() || `exit ${r.code}`) };
  return { owners: classifyTables(r.stdout.split('\n').filter(Boolean), htdocs) };
}
