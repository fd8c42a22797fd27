import { databaseAccessCheck as validationDatabaseAccess } from '../../checks/database-access.js';
import { result, type VerifyCheck } from '../check.js';
import { runValidationCheck } from './from-validation.js';

/**
 * Verification "Database access restricted": the validation probe again (loopback only, no remote root,
 * no anonymous account; src/checks/database-access.ts), plus: Dolibarr's own account is bound to a host,
 * not '%' (read as that account, the way Dolibarr connects).
 */
export const databaseAccessCheck: VerifyCheck = {
  id: 'database-access',
  item: 'verify.database-access',
  title: 'Database access',
  async run(ctx) {
    const account = (await ctx.db.value('SELECT CURRENT_USER()')) ?? '';
    const host = account.split('@')[1] ?? '';
    return [
      ...(await runValidationCheck(validationDatabaseAccess, 'verify.database-access', ctx)),
      host === '%'
        ? result(
            'verify.database-access',
            'database.account',
            'fail',
            `Dolibarr's account ${account}`,
            `it may connect from any host: recreate it as '${ctx.plan.database.user}'@'localhost'`,
          )
        : result('verify.database-access', 'database.account', 'pass', `Dolibarr's account ${account}`),
    ];
  },
};
