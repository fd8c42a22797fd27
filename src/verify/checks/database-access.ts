import { result, type VerifyCheck } from '../check.js';

/**
 * Verification "Database access restricted": the server listens on loopback only (or on no TCP port),
 * and the application's account is bound to a host, not '%'.
 */
const loopback = new Set(['127.0.0.1', '::1', 'localhost']);

export const databaseAccessCheck: VerifyCheck = {
  id: 'database-access',
  item: 'verify.database-access',
  title: 'Database access',
  async run(ctx) {
    const [row] = await ctx.db.query('SELECT @@bind_address, @@skip_networking, @@port, CURRENT_USER()');
    const [bind = '', skip = '0', port = '', account = ''] = row ?? [];
    const binds = bind
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean);
    const exposed = skip !== '1' && (binds.length === 0 || binds.some((b) => !loopback.has(b)));
    const seen =
      skip === '1' ? 'no TCP listener (skip_networking)' : `listens on ${binds.join(', ') || '*'}:${port}`;
    const host = account.split('@')[1] ?? '';
    return [
      exposed
        ? result(
            'verify.database-access',
            'database.listen',
            'fail',
            `database ${seen}`,
            'set bind-address = 127.0.0.1 in the server config (or firewall the port to the web server only) and restart it',
          )
        : result('verify.database-access', 'database.listen', 'pass', `database ${seen}`),
      host === '%'
        ? result(
            'verify.database-access',
            'database.account',
            'fail',
            `account ${account}`,
            `the account may connect from any host: recreate it as '${ctx.plan.database.user}'@'localhost'`,
          )
        : result('verify.database-access', 'database.account', 'pass', `account ${account}`),
    ];
  },
};
