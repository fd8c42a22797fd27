import type { InstallStack } from './index.js';

/** Rows of a query on the site's database, read as root, each row's columns joined by `separator`. */
export async function siteRows(stack: InstallStack, sql: string, separator = '\t'): Promise<string[]> {
  const rows = await stack.db.rootClient.query(`USE ${stack.plan.database.name}; ${sql}`);
  return rows.map((r) => r.join(separator));
}
