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
    { name: 'MAIN_MAIL_SMTP_SERVER', value: smtpServerForDolibarr(email.smtpHost), entity: 1 },
    { name: 'MAIN_MAIL_SMTP_PORT', value: String(email.smtpPort), entity: 1 },
    { name: 'MAIN_MAIL_EMAIL_FROM', value: email.from, entity: 1 },
  ];
}

/**
 * The SMTP server as Dolibarr can use it. Its client refuses a loopback address: SMTPs::_server_connect()
 * (core/class/smtps.class.php) fails with "Error [99] … is either offline or is an invalid host name" when
 * is_ip() (core/lib/functions2.lib.php) returns 0, which it does for reserved ranges (127.0.0.0/8), and
 * gethostbyname() of an address is the address itself. `localhost` names the same server and works.
 */
export function smtpServerForDolibarr(host: string): string {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === '::1' ? 'localhost' : host;
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
