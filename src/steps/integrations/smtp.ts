import { refused } from '../../core/errors.js';
import { describeSmtp, smtpConstants } from '../../integrations/smtp.js';
import type { Step } from '../step.js';
import { integrationTool, integrationsWith, secretOf } from './context.js';

/**
 * Policy Phase 2 step 7 "Set up email integration" (outgoing): the plan's SMTP relay written as Dolibarr's own
 * mail settings (src/integrations/smtp.ts), the password from the secret store on stdin only.
 */
export const configureSmtp: Step = {
  id: 'integrations:smtp',
  title: 'Configure outgoing mail (SMTP, TLS, authentication, sender)',
  policyRef: 'deploy.phase2.configure-integrations',
  plan(ctx) {
    const list = integrationsWith(ctx, 'smtp');
    if (list.length === 0) return [];
    if (list.length > 1)
      throw refused(
        `Dolibarr has one outgoing mail setup; the plan configures SMTP in ${list.map((i) => i.id).join(', ')}`,
        {
          fix: 'keep smtp in one integration',
        },
      );
    const { id, smtp } = list[0]!;
    const password = smtp.password ? secretOf(ctx, smtp.password.secret) : undefined;
    return [
      {
        kind: 'run',
        description: `${id}: ${describeSmtp(smtp)}`,
        command: integrationTool(ctx, 'set-constants.php', { constants: smtpConstants(smtp, password) }),
      },
    ];
  },
};
