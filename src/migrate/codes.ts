import { tableName, type Db, type TargetDb } from './target.js';
import type { SqlValue } from './types.js';

/**
 * Customer and supplier codes as Dolibarr's configured numbering module would give them.
 * Societe::create() asks the module named by SOCIETE_CODECLIENT_ADDON; Dolibarr's import does the
 * same through the `getcustomercodeifauto` rule. We implement the default, mod_codeclient_monkey
 * (core/modules/societe/mod_codeclient_monkey.php: CU/SU + yymm + '-' + 5-digit counter continuing
 * from the highest existing), and leopard (codes optional, none generated). Any other module:
 * the source must carry the codes, else the rows are rejected (we cannot run its PHP).
 */
export type CodeRule = { module: 'monkey'; next: (type: 'customer' | 'supplier') => string } | { module: 'leopard' } | { module: string; unsupported: true };

export async function readCodeRule(db: Db, target: TargetDb, entity: number, now: Date): Promise<CodeRule> {
  const [rows] = await db.query(
    `SELECT value FROM ${tableName(target, 'const')} WHERE name = 'SOCIETE_CODECLIENT_ADDON' AND entity IN (0, ?) ORDER BY entity DESC LIMIT 1`,
    [entity],
  );
  const module = (rows as { value: string }[])[0]?.value ?? 'mod_codeclient_leopard';
  if (module === 'mod_codeclient_leopard') return { module: 'leopard' };
  if (module !== 'mod_codeclient_monkey') return { module, unsupported: true };
  const yymm = `${String(now.getUTCFullYear()).slice(2)}${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  const counters = { customer: await maxCounter(db, target, 'code_client', 'CU', entity), supplier: await maxCounter(db, target, 'code_fournisseur', 'SU', entity) };
  return {
    module: 'monkey',
    next(type) {
      const n = ++counters[type];
      return `${type === 'customer' ? 'CU' : 'SU'}${yymm}-${n >= 99999 ? n : String(n).padStart(5, '0')}`;
    },
  };
}

async function maxCounter(db: Db, target: TargetDb, column: string, prefix: string, entity: number): Promise<number> {
  // The same query as mod_codeclient_monkey::getNextValue (position after prefix + yymm + '-').
  const [rows] = await db.query(
    `SELECT MAX(CAST(SUBSTRING(${column} FROM ${prefix.length + 6}) AS SIGNED)) AS max FROM ${tableName(target, 'societe')} WHERE ${column} LIKE ? AND entity = ?`,
    [`${prefix}____-%`, entity],
  );
  return Number((rows as { max: number | null }[])[0]?.max ?? 0);
}

/** Which codes a third party row still needs (customer or prospect -> customer code; supplier -> supplier code). */
export function codesNeeded(values: Record<string, SqlValue>): ('customer' | 'supplier')[] {
  const out: ('customer' | 'supplier')[] = [];
  if (Number(values.client ?? 0) > 0 && !values.code_client) out.push('customer');
  if (Number(values.fournisseur ?? 0) > 0 && !values.code_fournisseur) out.push('supplier');
  return out;
}

/** Give a validated row its generated codes (leopard: none needed). */
export function assignCodes(values: Record<string, SqlValue>, rule: CodeRule): void {
  if (!('next' in rule)) return;
  for (const type of codesNeeded(values)) values[type === 'customer' ? 'code_client' : 'code_fournisseur'] = rule.next(type);
}

/** The validation-time check: would this row get its codes? (No counter is consumed.) */
export function codeProblem(values: Record<string, SqlValue>, rule: CodeRule): string | undefined {
  const needed = codesNeeded(values);
  if (needed.length === 0 || !('unsupported' in rule)) return undefined;
  return `no ${needed[0]} code, and ${rule.module} (SOCIETE_CODECLIENT_ADDON) cannot be run outside Dolibarr: give codes in the source`;
}
