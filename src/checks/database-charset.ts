import type { Check } from './finding.js';
import { querySql, databaseProbe } from './db-client.js';
import { finding, unknown } from './result.js';

/** The policy's character set and collation must be available on the server. */
export const databaseCharsetCheck: Check = {
  id: 'database-charset',
  title: 'Database utf8mb4 support',
  policyRef: 'env.server.database',
  probes: (ctx) => [databaseProbe(ctx)],
  async run(ctx) {
    const { charset, collation } = ctx.policy.environment.server.database;
    const threshold = `${charset} with ${collation} available`;
    const r = await querySql(ctx, 'charset');
    if (!r.ok) return [unknown(this, threshold, r.reason)];
    const available = r.rows.some((row) => row[0] === collation && row[1] === charset);
    const server = r.rows.find((row) => row[0] !== collation) ?? r.rows[r.rows.length - 1];
    const observed = `${available ? `${collation} available` : `${collation} missing`}; server default ${server?.[0]}/${server?.[1]}`;
    if (!available)
      return [
        finding(this, 'fail', observed, threshold, {
          remediation: `use a server that supports ${charset} (MariaDB >= 10.4 / MySQL >= 8.0)`,
        }),
      ];
    return [finding(this, 'pass', observed, threshold)];
  },
};
