import { runPhpTool } from '../install/tool-command.js';
import { secretOf } from '../install/context.js';
import type { Step } from '../step.js';

/**
 * A recovery whose plan asks for it (recovery.resetAdminPassword) sets the admin's password to the plan's secret
 * through Dolibarr's own User::setPassword (create-users.php finds the existing user: it only sets the password),
 * after the data was verified against the backup, so the restored llx_user is checked first. The secret goes on stdin.
 */
export const resetAdminPassword: Step = {
  id: 'restore:admin-password',
  title: "Reset the admin's password to the plan's secret (Dolibarr's User::setPassword)",
  policyRef: 'deploy.phase2.configure-system',
  plan(ctx) {
    if (!ctx.plan.recovery?.resetAdminPassword) return [];
    const { login, password } = ctx.plan.admin;
    return [
      {
        kind: 'run',
        description: `password of ${login} from the secret ${password.secret}`,
        command: runPhpTool(ctx, 'create-users.php', {
          users: [
            {
              login,
              lastname: login,
              admin: true,
              password: secretOf(ctx, password.secret).reveal(),
              rights: [],
            },
          ],
        }),
      },
    ];
  },
};
