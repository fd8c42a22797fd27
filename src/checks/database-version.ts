import type { Check } from './finding.js';
import { dbLabel, querySql, databaseProbe } from './db-client.js';
import { compareVersions, finding, unknown } from './result.js';

/** Policy "MySQL 8.0+ or MariaDB 10.4+", asked of the running server (not the client package). */
export const databaseVersionCheck: Check = {
  id: 'database-version',
  title: 'Database server version',
  policyRef: 'env.server.database',
  probes: (ctx) => [databaseProbe(ctx)],
  async run(ctx) {
    const limits = ctx.policy.environment.server.database;
    const threshold = `MariaDB >= ${limits.mariadb.min} or MySQL >= ${limits.mysql.min}`;
    const r = await querySql(ctx, 'version');
    if (!r.ok) {
      if (r.down)
        return [
          finding(this, 'fail', `no database server answering on ${dbLabel(ctx)}`, threshold, {
            detail: r.reason,
            remediation:
              'start the database server (systemctl start mariadb) or correct database.host/port/socket in the plan',
          }),
        ];
      return [unknown(this, threshold, r.reason)];
    }
    const version = r.rows[0]?.[0] ?? '';
    const isMariadb = /mariadb/i.test(version);
    const min = isMariadb ? limits.mariadb.min : limits.mysql.min;
    const observed = `${isMariadb ? 'MariaDB' : 'MySQL'} ${version}`;
    if (compareVersions(version, min) < 0) {
      return [
        finding(this, 'fail', observed, threshold, {
          remediation: `upgrade to ${isMariadb ? 'MariaDB' : 'MySQL'} ${min} or later`,
        }),
      ];
    }
    return [finding(this, 'pass', observed, threshold)];
  },
};
