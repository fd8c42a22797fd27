import type { Db } from './target.js';
import { tableName, type TargetDb } from './target.js';

/**
 * Country code, ISO3 code or label -> llx_c_country.rowid (what Dolibarr's import does with
 * the `fetchidfromcodeid` rule on s.fk_pays, core/modules/modSociete.class.php). Read once.
 */
export async function readCountries(db: Db, target: TargetDb): Promise<(codeOrLabel: string) => number | undefined> {
  const [rows] = await db.query(`SELECT rowid, code, code_iso, label FROM ${tableName(target, 'c_country')} WHERE active = 1`);
  const index = new Map<string, number>();
  for (const r of rows as { rowid: number; code: string; code_iso: string | null; label: string }[]) {
    for (const k of [r.code, r.code_iso, r.label]) if (k) index.set(k.toLowerCase(), Number(r.rowid));
  }
  return (s) => index.get(s.toLowerCase());
}
