import { refused } from '../../core/errors.js';
import type { Step, StepContext } from '../step.js';
import { integrationTool, integrationsWith, noteCheck } from './context.js';

/** Where the test mail goes: the integration's own test address, else the plan's, else the company's. */
export function smtpTestRecipient(ctx: StepContext): string | undefined {
  const smtp = integrationsWith(ctx, 'smtp')[0]?.smtp;
  return smtp?.testRecipient ?? ctx.plan.email?.testRecipient ?? ctx.plan.company.email;
}

/** The subject of the run's test mail: the deployment and the release stamp, so the mail can be found. */
export const smtpTestSubject = (ctx: StepContext): string =>
  `mokodeploy integration check ${ctx.plan.id ?? ctx.plan.client} ${String(ctx.facts.stamp ?? '')}`.trim();

/**
 * Policy Phase 3 "Verify email sending" / "Test integrations": a mail sent by Dolibarr itself (CMailFile, with the
 * settings just written) must be accepted by the relay; a refusal fails the run and the smtp step is redone next time.
 */
export const checkSmtp: Step = {
  id: 'integrations:smtp-check',
  title: 'Send a test mail through Dolibarr',
  policyRef: 'deploy.phase3.functionality',
  checks: ['integrations:smtp'],
  plan(ctx) {
    const i = integrationsWith(ctx, 'smtp')[0];
    if (!i) return [];
    const to = smtpTestRecipient(ctx);
    if (!to)
      throw refused(`${i.id}: no address to send the test mail to`, {
        fix: `add smtp.testRecipient to integration ${i.id} (or email.testRecipient / company.email)`,
      });
    ctx.outputs.smtpTestMail = { to, subject: smtpTestSubject(ctx) };
    noteCheck(
      ctx,
      this.id,
      i.id,
      `Dolibarr sent a test mail to ${to} through ${i.smtp.host}:${i.smtp.port} (${i.smtp.security})`,
    );
    return [
      {
        kind: 'run',
        description: `${i.id}: Dolibarr sends "${smtpTestSubject(ctx)}" to ${to}`,
        command: integrationTool(
          ctx,
          'integration-send-test-mail.php',
          { to, subject: smtpTestSubject(ctx) },
          i.smtp.caFile,
        ),
      },
    ];
  },
};
