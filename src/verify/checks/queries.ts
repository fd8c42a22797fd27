import { result, type CheckResult, type VerifyCheck } from '../check.js';

/**
 * Verification "Database queries optimized": the slow-query log is on (so slow queries get seen), no query
 * was slow since the server started, every Dolibarr table has a primary key, and a count on the third-party
 * table answers quickly (connectivity and responsiveness).
 */
const item = 'verify.queries';

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
    const [[slowLog = 'OFF', longTime = '?'] = []] = await ctx.db.query(
      'SELECT @@slow_query_log, @@long_query_time',
    );
    const [[, slow = '0'] = []] = await ctx.db.query("SHOW GLOBAL STATUS LIKE 'Slow_queries'");
    if (Number(slow) > 0)
      out.push(
        result(
          item,
          'queries.slow',
          'fail',
          `${slow} slow queries (> ${longTime} s) since the server started`,
          'read the slow-query log and add the missing indexes',
        ),
      );
    else if (slowLog !== '1' && slowLog !== 'ON')
      out.push(
        result(
          item,
          'queries.slow',
          'warn',
          `0 slow queries counted; slow_query_log is off`,
          'turn it on (slow_query_log=1, long_query_time=2) to see slow queries during hypercare',
        ),
      );
    else
      out.push(result(item, 'queries.slow', 'pass', `0 slow queries (> ${longTime} s); slow_query_log on`));
    const noKey = await ctx.db.query(
      "SELECT t.table_name FROM information_schema.tables t LEFT JOIN information_schema.table_constraints c ON c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.constraint_type = 'PRIMARY KEY' WHERE t.table_schema = DATABASE() AND t.table_type = 'BASE TABLE' AND c.constraint_name IS NULL",
    );
    out.push(
      noKey.length === 0
        ? result(item, 'queries.keys', 'pass', 'every table has a primary key')
        : result(
            item,
            'queries.keys',
            'warn',
            `tables without a primary key: ${noKey.map((r) => r[0]).join(', ')}`,
            'a custom module created them: add a primary key',
          ),
    );
    return out;
  },
};
