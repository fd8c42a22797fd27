import { checkTrail } from '../audit/check-trail.js';
import { inputError, refused } from '../core/errors.js';
import { copyEvidence, type EvidenceCopy } from '../evidence/copy.js';
import type { EvidenceFiles } from '../evidence/files.js';
import { evidenceFilesOf } from '../store/dump.js';
import { PostgresStore } from '../store/postgres.js';
import { storeKind } from '../store/open.js';
import type { Store } from '../store/store.js';
import type { AppContext } from './context.js';

export interface StoreMigrateOptions {
  from?: string;
  to?: string;
  /** Copy every evidence file of this app's location (--evidence-store / MOKODEPLOY_EVIDENCE / <home>/evidence) here. */
  evidenceTo?: string;
}

/**
 * `mokodeploy store migrate` (issue 20): the source's trail must verify; its rows are copied as they are into an
 * empty PostgreSQL store in one transaction; then the new store's trail must verify too and end at the same head.
 * With --evidence-to, the evidence files move too (directory -> bucket and back), each checked by its sha256 on
 * both sides, before any row is written. Without --from/--to only the evidence files move.
 */
export async function migrateStore(a: AppContext, o: StoreMigrateOptions) {
  if (!o.from !== !o.to)
    throw inputError('give both --from and --to (or neither, to move only the evidence files)', {
      where: o.from ? '--to' : '--from',
    });
  if (!o.from && !o.evidenceTo)
    throw inputError('nothing to migrate', { fix: 'give --from and --to, and/or --evidence-to LOCATION' });
  const evidence = a.evidenceFiles();
  const evidenceTo = o.evidenceTo ? a.openOtherEvidenceFiles(o.evidenceTo, '--evidence-to') : undefined;
  try {
    if (!o.from || !o.to) {
      const copy = await copyEvidence(evidence, evidenceTo!);
      return { evidence: copy, evidenceMissing: [] as string[] };
    }
    return await migrateRows(a, o.from, o.to, evidence, evidenceTo);
  } finally {
    evidenceTo?.close();
  }
}

async function migrateRows(
  a: AppContext,
  from: string,
  to: string,
  evidence: EvidenceFiles,
  evidenceTo?: EvidenceFiles,
) {
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
    // the files first: a copy that fails leaves the new store empty
    const copy: EvidenceCopy | undefined = evidenceTo ? await copyEvidence(evidence, evidenceTo) : undefined;
    await target.importDump(dump);
    const after = await checkTrail(target, key);
    if (!after.ok || after.head !== before.head || after.entries !== before.entries)
      throw refused(`the copy in ${target.location} does not verify as the source did`, {
        details: after.problems.map((p) => p.message),
        fix: 'drop that database and run the migration again; report this as a bug',
      });
    const there = evidenceTo ?? evidence;
    const referenced = evidenceFilesOf(dump);
    const held = new Set(await there.list());
    return {
      from: source.location,
      to: target.location,
      deployments: dump.deployments.length,
      entries: after.entries,
      head: after.head ?? '',
      messages: dump.outbox.length,
      evidenceFiles: referenced.length,
      evidenceDir: there.location,
      evidence: copy,
      evidenceMissing: referenced.filter((sha) => !held.has(sha)),
    };
  } finally {
    for (const s of opened) await s.close();
  }
}
