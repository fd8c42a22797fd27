/**
 * Issue 19 bench data: N third parties, N contacts, N/2 products, N/5 proposals, N/5 invoices (tables a release
 * lacks are skipped), loaded with SQL from MariaDB's sequence engine. Returns what was loaded.
 */
import type { InstallStack } from '../test/helpers/install-stack/index.js';

export async function fillDatabase(stack: InstallStack, n: number): Promise<Record<string, number>> {
  const db = stack.plan.database.name;
  const q = (sql: string) => stack.db.rootClient.query(sql);
  const has = async (t: string) =>
    (
      await q(
        `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '${db}' AND table_name = '${t}'`,
      )
    )[0]![0] === '1';
  const creator =
    (await has('llx_socpeople')) &&
    (
      await q(
        `SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = '${db}' AND table_name = 'llx_socpeople' AND column_name = 'fk_user_creat'`,
      )
    )[0]![0] === '1';
  const loads: [string, number, string][] = [
    [
      'llx_societe',
      n,
      `INSERT INTO ${db}.llx_societe (nom, entity, client, code_client, datec) SELECT CONCAT('Company ', seq), 1, 1, CONCAT('CU', seq), NOW() FROM ${db}.seq_1_to_${n}`,
    ],
    [
      'llx_socpeople',
      n,
      `INSERT INTO ${db}.llx_socpeople (fk_soc, entity, lastname, firstname, datec${creator ? ', fk_user_creat' : ''}) SELECT seq, 1, CONCAT('Contact ', seq), 'Ann', NOW()${creator ? `, (SELECT MIN(rowid) FROM ${db}.llx_user)` : ''} FROM ${db}.seq_1_to_${n}`,
    ],
    [
      'llx_product',
      Math.floor(n / 2),
      `INSERT INTO ${db}.llx_product (ref, entity, label, price, datec) SELECT CONCAT('P', seq), 1, CONCAT('Product ', seq), seq / 100, NOW() FROM ${db}.seq_1_to_${Math.floor(n / 2)}`,
    ],
    [
      'llx_propal',
      Math.floor(n / 5),
      `INSERT INTO ${db}.llx_propal (ref, entity, fk_soc, datec) SELECT CONCAT('PR', seq), 1, seq, NOW() FROM ${db}.seq_1_to_${Math.floor(n / 5)}`,
    ],
    [
      'llx_facture',
      Math.floor(n / 5),
      `INSERT INTO ${db}.llx_facture (ref, entity, fk_soc, datec) SELECT CONCAT('FA', seq), 1, seq, NOW() FROM ${db}.seq_1_to_${Math.floor(n / 5)}`,
    ],
  ];
  const loaded: Record<string, number> = {};
  for (const [table, rows, sql] of loads) {
    if (!(await has(table))) continue;
    await q(sql);
    loaded[table] = rows;
  }
  return loaded;
}

/** Size of the database in MB (data and indexes). */
export async function databaseMb(stack: InstallStack): Promise<number> {
  const [[bytes]] = (await stack.db.rootClient.query(
    `SELECT SUM(data_length + index_length) FROM information_schema.tables WHERE table_schema = '${stack.plan.database.name}'`,
  )) as [[string]];
  return Number(bytes) / 1e6;
}
