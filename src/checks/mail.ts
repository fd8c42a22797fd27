import type { Check, CheckContext } from './finding.js';
import { ask } from './probe.js';
import { finding, unknown } from './result.js';
import { connectFromTargetProbe } from './tcp-from-target.js';

const greetingProbe = (ctx: CheckContext) =>
  ctx.plan.email ? [connectFromTargetProbe(ctx.plan.email.smtpHost, ctx.plan.email.smtpPort, true)] : [];

/** Policy "Email server accessible": the plan's SMTP server answers with a 220 greeting, from the target. */
export const mailCheck: Check = {
  id: 'mail',
  title: 'Mail server reachable from the target',
  policyRef: 'env.network.mail',
  probes: greetingProbe,
  async run(ctx) {
    const email = ctx.plan.email;
    if (!email)
      return [
        finding(this, 'warn', 'no email section in the plan', 'SMTP server answers', {
          detail: 'Dolibarr cannot send mail without one',
          remediation: 'add email.smtpHost/smtpPort to the plan',
        }),
      ];
    const threshold = `${email.smtpHost}:${email.smtpPort} answers 220`;
    const p = await ask(ctx, connectFromTargetProbe(email.smtpHost, email.smtpPort, true));
    if (!p.ok) return [unknown(this, threshold, p.reason)];
    if (p.code === 3)
      return [
        finding(
          this,
          'fail',
          `cannot connect to ${email.smtpHost}:${email.smtpPort}: ${p.stderr.trim().split('\n').pop() ?? ''}`,
          threshold,
          { remediation: 'open outgoing SMTP in the firewall or correct email.smtpHost/smtpPort' },
        ),
      ];
    const greeting = p.stdout.trim();
    return /^220/.test(greeting)
      ? [finding(this, 'pass', greeting.slice(0, 120), threshold)]
      : [
          finding(
            this,
            'fail',
            `connected, but no SMTP greeting (${greeting.slice(0, 80) || 'nothing within 5 s'})`,
            threshold,
            { remediation: 'check that an SMTP server listens there' },
          ),
        ];
  },
};
