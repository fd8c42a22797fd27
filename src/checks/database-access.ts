import type { Check, Finding } from './finding.js';
import { querySql, databaseProbe } from './db-client.js';
import { finding, unknown } from './result.js';

const loopback = (address: string) => /^(127\.|::1$|localhost$)/.test(address.trim());

/** Policy "Database access restricted": loopback only, no remote root, no anonymous accounts. */
export const databaseAccessCheck: Check = {
  id: 'database-access',
  title: 'Database access restricted',
  policyRef: 'env.security.database',
  probes: (ctx) => [databaseProbe(ctx)],
  async run(ctx) {
    const r = await querySql(ctx, 'access');
    if (!r.ok) {
      return ['listen', 'remote-root', 'anonymous'].map((s) => unknown(this, 'restricted', r.reason, s));
    }
    const out: Finding[] = [];
    const bind = r.rows.find((row) => row[0] === 'bind');
    const addresses = (bind?.[1] ?? '').split(',').filter((a) => a !== '');
    const skipNetworking = bind?.[2] === '1';
    const listenThreshold = 'listens on loopback only (or skip-networking)';
    if (skipNetworking || (addresses.length > 0 && addresses.every(loopback))) {
      out.push(
        finding(
          this,
          'pass',
          skipNetworking ? 'skip_networking = ON' : `bind_address = ${addresses.join(',')}`,
          listenThreshold,
          { idSuffix: 'listen', title: 'Database listens on loopback only' },
        ),
      );
    } else {
      out.push(
        finding(this, 'fail', `bind_address = ${addresses.join(',') || '(all addresses)'}`, listenThreshold, {
          idSuffix: 'listen',
          title: 'Database listens on loopback only',
          remediation: 'set bind-address = 127.0.0.1 in /etc/mysql/mariadb.conf.d/50-server.cnf and restart',
        }),
      );
    }
    const remoteRoot = r.rows.filter((row) => row[0] === 'root').map((row) => `root@${row[2]}`);
    out.push(
      finding(
        this,
        remoteRoot.length ? 'fail' : 'pass',
        remoteRoot.length ? remoteRoot.join(', ') : 'root only from localhost',
        'no root account for remote hosts',
        {
          idSuffix: 'remote-root',
          title: 'No remote root login',
          remediation: `DROP USER ${remoteRoot.map((u) => `'root'@'${u.slice(5)}'`).join(', ')}`,
        },
      ),
    );
    const anonymous = r.rows.filter((row) => row[0] === 'anon').map((row) => `''@${row[2]}`);
    out.push(
      finding(
        this,
        anonymous.length ? 'fail' : 'pass',
        anonymous.length ? anonymous.join(', ') : 'none',
        'no anonymous accounts',
        {
          idSuffix: 'anonymous',
          title: 'No anonymous database accounts',
          remediation: 'run mariadb-secure-installation or DROP USER the anonymous accounts',
        },
      ),
    );
    return out;
  },
};
