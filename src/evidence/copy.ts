import type { EvidenceFiles } from './files.js';

export interface EvidenceCopy {
  from: string;
  to: string;
  /** Files the destination did not hold before. */
  copied: number;
  /** Every file now checked in the destination (sha256 of what it gives back). */
  checked: number;
}

/**
 * Copy every evidence file of `from` into `to` (`store migrate --evidence-to`): each is read checked against its
 * sha256, put, and read back from the destination checked again. The first file that fails stops the copy with its
 * sha256; files already copied stay (content-addressed, a second run takes up where this one stopped).
 */
export async function copyEvidence(from: EvidenceFiles, to: EvidenceFiles): Promise<EvidenceCopy> {
  let copied = 0;
  const all = await from.list();
  for (const sha256 of all) {
    const had = await to.has(sha256);
    const stored = await to.put(await from.get(sha256));
    if (stored !== sha256) throw new Error(`bug: evidence file ${sha256} was stored as ${stored}`);
    await to.get(sha256); // refuses a copy that does not hash to its name
    if (!had) copied++;
  }
  return { from: from.location, to: to.location, copied, checked: all.length };
}
