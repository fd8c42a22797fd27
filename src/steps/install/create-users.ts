import type { Step } from '../step.js';
import { secretOf } from './context.js';
import { runPhpTool } from './tool-command.js';

/**
 * Policy Phase 2 step 5 "Set up user accounts" and "Set permissions": the plan's users through Dolibarr's
 * User class with their rights (php/create-users.ts); passwords from the store, on stdin only.
 */
export const createUsers: Step = {
  id: 'install:users',
  title: 'Create user accounts with their rights',
  policyRef: 'deploy.phase2.configure-system',
  plan(ctx) {
    if (ctx.plan.users.length === 0) return [];
    const users = ctx.plan.users.map((u) => ({
      login: u.login,
      lastname: u.lastname,
      firstname: u.firstname,
      email: u.email,
      admin: u.admin,
      password: secretOf(ctx, u.password.secret).reveal(),
      rights: u.rights,
    }));
    return [
      {
        kind: 'run',
        description: `users ${ctx.plan.users.map((u) => u.login).join(', ')}`,
        command: runPhpTool(ctx, 'create-users.php', { users }),
      },
    ];
  },
};
