import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkTrail } from '../audit/check-trail.js';
import { inputError, refused } from '../core/errors.js';
import { evidenceFilesOf } from '../store/dump.js';
import { PostgresStore } from '../store/postgres.js';
import { storeKind } from '../store/open.js';
import type { Store } from '../store/store.js';
import type { AppContext } from './context.js';

/**
 * `mokodeploy store migrate` (issue 20): the source's trail must verify; its rows are copied as they are into an
 * empty PostgreSQL store in one transaction; then the new store's trail must verify too and end at the same head.
 * Evidence files are content-addressed in the home's evidence directory and stay there.
 */
export async function migrateStore(a: AppContext, from: string, to: string) {
  if (storeKind(to) !== 'postgres')
    throw inputError('--to must be a PostgreSQL URL', {
      where: '--to',
      fix: 'write postgres://USER@HOST:PORT/DB',
    });
  const opened: Store[] = [];
  try {
    const source = await a.openOtherStore(from, '--from');
    opened.push(source);
    const key = a.auditPublicKey(); // after opening: the source refuses a key that is not its own
    const before = await checkTrail(source, key);
    if (!before.ok)
      throw refused(`the audit trail of ${source.location} does not verify: nothing was copied`, {
        details: before.problems.map((p) => p.message),
        fix: `run \`mokodeploy --store ${from.startsWith('postgres') ? 'URL' : from} audit verify\` and repair the store first`,
      });
    const dump = await source.dump();
    const target = await a.openOtherStore(to, '--to');
    opened.push(target);
    if (!(target instanceof PostgresStore)) throw new Error('bug: --to did not open a PostgreSQL store');
    await target.importDump(dump);
    const after = await checkTrail(target, key);
    if (!after.ok || after.head !== before.head || after.entries !== before.entries)
      throw refused(`the copy in ${target.location} does not verify as the source did`, {
        details: after.problems.map((p) => p.message),
        fix: 'drop that database and run the migration again; report this as a bug',
      });
    const evidenceDir = join(a.home, 'evidence');
    const evidence = evidenceFilesOf(dump);
    return {
      from: source.location,
      to: target.location,
      deployments: dump.deployments.length,
      entries: after.entries,
      head: after.head ?? '',
      messages: dump.outbox.length,
      evidenceFiles: evidence.length,
      evidenceDir,
      evidenceMissing: evidence.filter((sha) => !existsSync(join(evidenceDir, sha))),
    };
  } finally {
    for (const s of opened) await s.close();
  }
}
