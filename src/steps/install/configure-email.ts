import type { Step } from '../step.js';
import { runPhpTool } from './tool-command.js';

/**
 * Policy Phase 2 step 5 "Configure email settings": the constants htdocs/admin/mails.php saves
 * (MAIN_MAIL_SENDMODE 'smtps' = SMTP via Dolibarr's own client, MAIN_MAIL_SMTP_SERVER/PORT, MAIN_MAIL_EMAIL_FROM).
 * SMTP credentials, when a server needs them, are an integration step (not in the plan schema yet).
 */
export function emailConstants(email: { from: string; smtpHost: string; smtpPort: number }) {
  return [
    { name: 'MAIN_MAIL_SENDMODE', value: 'smtps', entity: 1 },
    { name: 'MAIN_MAIL_SMTP_SERVER', value: email.smtpHost, entity: 1 },
    { name: 'MAIN_MAIL_SMTP_PORT', value: String(email.smtpPort), entity: 1 },
    { name: 'MAIN_MAIL_EMAIL_FROM', value: email.from, entity: 1 },
  ];
}

export const configureEmail: Step = {
  id: 'install:email',
  title: 'Configure outgoing email',
  policyRef: 'deploy.phase2.configure-system',
  plan(ctx) {
    const email = ctx.plan.email;
    if (!email) return [];
    return [
      {
        kind: 'run',
        description: `email via ${email.smtpHost}:${email.smtpPort} from ${email.from}`,
        command: runPhpTool(ctx, 'set-constants.php', { constants: emailConstants(email) }),
      },
    ];
  },
};
