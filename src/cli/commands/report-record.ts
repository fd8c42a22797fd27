import type { AppContext } from '../../app/context.js';
import type { WrittenDocument } from '../../reports/write.js';

/**
 * Record a generated document on the deployment by its sha256 (policy "Deployment Sign-Off — Deployment report
 * completed"; the handoff pack delivered is matched against it). Without a person acting it is written only.
 */
export async function recordGenerated(
  a: AppContext,
  id: string,
  kind: 'handoff' | 'signoff' | 'deployment',
  written: WrittenDocument,
  as: string | undefined,
): Promise<void> {
  if (!as && !process.env.MOKODEPLOY_AS) {
    a.out.warn(`${kind}: written, not recorded on ${id} (give --as <login> to record it)`);
    return;
  }
  const files = [written.pdf, written.html].filter((p): p is string => Boolean(p));
  const evidence = [];
  for (const p of files) evidence.push(await a.storeEvidenceFile(p));
  await a.act(id, 'record-document', { kind, evidence }, as);
}
