import type { Plan } from '../../core/plan.js';

/**
 * Which admin password works after a disaster recovery (issue 23): the database is the backup's, so are its users
 * and their password hashes (llx_user.pass_crypted); the plan's admin secret is not written by a restore.
 */
export function adminLoginAfterRecovery(plan: Plan, backupStamp = plan.recovery?.backup): string {
  if (plan.recovery?.resetAdminPassword)
    return `admin login after recovery: "${plan.admin.login}" with the plan's secret ${plan.admin.password.secret} (recovery.resetAdminPassword: set through Dolibarr's User::setPassword after the restore; the backup's password no longer works)`;
  const from = backupStamp ? `backup ${backupStamp}` : 'the backup recovered';
  return `admin login after recovery: "${plan.admin.login}" with the password it had when ${from} was taken (the database, its users included, is the backup's); the plan's secret ${plan.admin.password.secret} is not used. Change it in Dolibarr (user card > Modify) if it must change`;
}
