import { paypalApiHost } from '../../integrations/payment.js';
import { siteRequestCommand, tlsReachCommand } from '../../integrations/site-request.js';
import { certificateFile } from '../install/web-names.js';
import type { Action, Step, StepContext } from '../step.js';
import { integrationsWith, noteCheck } from './context.js';

const site = (ctx: StepContext) => ({
  siteUrl: ctx.plan.site.url,
  address: ctx.plan.site.listen?.[0] ?? '127.0.0.1',
  caFile: certificateFile(ctx),
  asUser: ctx.plan.target.webUser,
});

/** The payment page Dolibarr serves offers the gateway: its button `marker` is on newpayment.php. */
function offersPayment(ctx: StepContext, id: string, gateway: string, marker: string): Action {
  return {
    kind: 'run',
    description: `${id}: the payment page offers ${gateway}`,
    command: siteRequestCommand({
      ...site(ctx),
      path: '/public/payment/newpayment.php?amount=1&tag=mokodeploy-check',
      expect: marker,
    }),
  };
}

/** The gateway's API host resolves and completes a TLS handshake from the target. */
function reachedOverTls(id: string, host: string, port: number, caFile?: string): Action {
  return {
    kind: 'run',
    description: `${id}: ${host}:${port} resolves and completes a TLS handshake from the target`,
    command: tlsReachCommand(host, port, caFile),
  };
}

/**
 * Policy Phase 3 "Test integrations", for payments, as far as a target can without charging anyone:
 * - the payment page Dolibarr serves offers the gateway: public/payment/newpayment.php with an amount and a tag
 *   lists a "dopayment_stripe" / "dopayment_paypal" button for each enabled module (l.2171, l.2207, 20.0.2);
 * - Stripe's webhook page public/stripe/ipn.php (NOCSRFCHECK, NOLOGIN) refuses an unsigned event with "Invalid
 *   signature" (l.129-133) — which it only reaches when the module is on, the mode's webhook secret is set (l.88) and
 *   STRIPE_USER_ACCOUNT_FOR_ACTIONS names a user (l.92-99); `?test` selects the test secret (l.60-79);
 * - the gateway's API host resolves and completes a TLS handshake from the target.
 */
export const checkPayment: Step = {
  id: 'integrations:payment-check',
  title: 'Check the payment pages on the site and the gateways reached over TLS',
  policyRef: 'deploy.phase3.functionality',
  checks: ['integrations:payment'],
  plan(ctx) {
    const actions: Action[] = [];
    for (const i of integrationsWith(ctx, 'stripe')) {
      noteCheck(
        ctx,
        this.id,
        i.id,
        `Stripe (${i.stripe.mode}): payment page offers it, webhook refuses an unsigned event, ${i.stripe.apiHost} reached over TLS`,
      );
      const test = i.stripe.mode === 'test' ? '?test' : '';
      actions.push(
        offersPayment(ctx, i.id, 'Stripe', 'dopayment_stripe'),
        {
          kind: 'run',
          description: `${i.id}: the webhook page refuses an unsigned event (module on, webhook secret and user set)`,
          command: siteRequestCommand({
            ...site(ctx),
            path: `/public/stripe/ipn.php${test}`,
            json: '{}',
            expect: 'Invalid signature',
          }),
        },
        reachedOverTls(i.id, i.stripe.apiHost, i.stripe.apiPort, i.stripe.caFile),
      );
    }
    for (const i of integrationsWith(ctx, 'paypal')) {
      noteCheck(
        ctx,
        this.id,
        i.id,
        `PayPal (${i.paypal.mode}): payment page offers it, ${paypalApiHost(i.paypal)} reached over TLS`,
      );
      actions.push(
        offersPayment(ctx, i.id, 'PayPal', 'dopayment_paypal'),
        reachedOverTls(i.id, paypalApiHost(i.paypal), i.paypal.apiPort, i.paypal.caFile),
      );
    }
    return actions;
  },
};
