import { result, type CheckResult, type VerifyCheck } from '../check.js';
import { readText } from '../target-probe.js';
import { ownerText, readTableOwners } from '../table-owners.js';
import type { VerifyContext } from '../context.js';

/**
 * Verification "Database queries optimized": the slow-query log is on and holds no slow query on the client's
 * database (without the log, the server's Slow_queries counter), every Dolibarr table has a primary key, and a count on the third-party
 * table answers quickly (connectivity and responsiveness).
 */
const item = 'verify.queries';

/** Entries of the slow-query log that ran on this client's database ("Schema: <db>" or "use <db>;"). */
export function slowEntries(log: string, database: string): { count: number; worst: number } {
  const blocks = log
    .split(/^# User@Host: /m)
    .slice(1)
    .filter((b) => b.includes(`Schema: ${database} `) || b.includes(`use ${database};`));
  const times = blocks.map((b) => Number(/# Query_time: ([\d.]+)/.exec(b)?.[1] ?? 0));
  return { count: blocks.length, worst: Math.max(0, ...times) };
}

async function slowQueries(ctx: VerifyContext): Promise<CheckResult> {
  const [[on = 'OFF', longTime = '?', file = '', datadir = ''] = []] = await ctx.db.query(
    'SELECT @@slow_query_log, @@long_query_time, @@slow_query_log_file, @@datadir',
  );
  const [[, counted = '0'] = []] = await ctx.db.query("SHOW GLOBAL STATUS LIKE 'Slow_queries'");
  if (on !== '1' && on !== 'ON') {
    return Number(counted) > 0
      ? result(
          item,
          'queries.slow',
          'fail',
          `${counted} slow queries (> ${longTime} s) since the server started; slow_query_log is off`,
          'turn the slow-query log on (slow_query_log=1, long_query_time=2) to see which, then add the missing indexes',
        )
      : result(
          item,
          'queries.slow',
          'warn',
          '0 slow queries counted; slow_query_log is off',
          'turn it on (slow_query_log=1, long_query_time=2) to see slow queries during hypercare',
        );
  }
  const path = file.startsWith('/') ? file : `${datadir.replace(/\/$/, '')}/${file}`;
  const log = await readText(ctx, path, { argv: ['tail', '-n', '20000', '--', path] });
  if (!log.known || log.value === undefined)
    return result(
      item,
      'queries.slow',
      Number(counted) > 0 ? 'fail' : 'unknown',
      `${counted} slow queries counted; cannot read ${path}`,
      log.known ? `${path} does not exist: check slow_query_log_file` : log.why,
    );
  const db = await ctx.db.databaseName();
  const e = slowEntries(log.value, db);
  return e.count > 0
    ? result(
        item,
        'queries.slow',
        'fail',
        `${e.count} slow queries (> ${longTime} s) on ${db} in ${path}, slowest ${e.worst.toFixed(2)} s`,
        'read them in the slow-query log and add the missing indexes (EXPLAIN each query)',
      )
    : result(item, 'queries.slow', 'pass', `no slow query (> ${longTime} s) on ${db} in ${path}`);
}

/**
 * Tables without a primary key, named with whose they are: Dolibarr's own (its schema, e.g. llx_user_param
 * with a unique key: nothing to fix on the site) are reported but pass; a custom module's or a stray table
 * is a warning with the fix for its owner.
 */
async function keys(ctx: VerifyContext, tables: string[]): Promise<CheckResult> {
  const { owners, why } = await readTableOwners(ctx);
  // the owners could not be read: name the tables only, never a guess of whose they are (issue 25)
  if (why)
    return result(
      item,
      'queries.keys',
      'unknown',
      `tables without a primary key: ${tables.join(', ')}`,
      `cannot tell whose they are: ${why}`,
    );
  const byOwner = new Map<string, string[]>();
  for (const t of tables) {
    const owner = ownerText(owners.get(t));
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), t]);
  }
  const observed = `tables without a primary key: ${[...byOwner].map(([o, ts]) => `${ts.join(', ')} (${o})`).join('; ')}`;
  const theirs = tables.filter((t) => owners.get(t)?.kind !== 'core');
  if (theirs.length === 0)
    return result(item, 'queries.keys', 'pass', `${observed}: Dolibarr's own schema, nothing to change`);
  const fixes = [...byOwner]
    .filter(([o]) => o !== 'Dolibarr core')
    .map(([o, ts]) =>
      o.startsWith('custom module ')
        ? `${o}: add a primary key to ${ts.join(', ')} in the module's sql/ files and ask its author to ship it`
        : `${ts.join(', ')}: not created by this release or its custom modules: find who added them, then add a primary key or drop them`,
    );
  return result(item, 'queries.keys', 'warn', observed, fixes.join('; '));
}

export const queriesCheck: VerifyCheck = {
  id: 'queries',
  item: 'verify.queries',
  title: 'Database queries',
  async run(ctx) {
    const out: CheckResult[] = [];
    const started = Date.now();
    const count = await ctx.db.value('SELECT COUNT(*) FROM llx_societe');
    const ms = Date.now() - started;
    out.push(
      ms < 1000
        ? result(
            item,
            'queries.responsive',
            'pass',
            `SELECT COUNT(*) FROM llx_societe = ${count} in ${ms} ms (including the client start)`,
          )
        : result(
            item,
            'queries.responsive',
            'fail',
            `a count took ${ms} ms`,
            'the database is overloaded or far away: check its load and innodb_buffer_pool_size',
          ),
    );
    out.push(await slowQueries(ctx));
    const noKey = await ctx.db.query(
      "SELECT t.table_name FROM information_schema.tables t LEFT JOIN information_schema.table_constraints c ON c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.constraint_type = 'PRIMARY KEY' WHERE t.table_schema = DATABASE() AND t.table_type = 'BASE TABLE' AND c.constraint_name IS NULL",
    );
    out.push(
      noKey.length === 0
        ? result(item, 'queries.keys', 'pass', 'every table has a primary key')
        : await keys(
            ctx,
            noKey.map((r) => r[0]!),
          ),
    );
    return out;
  },
};
