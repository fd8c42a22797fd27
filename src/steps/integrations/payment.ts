import { refused } from '../../core/errors.js';
import type { StripeIntegration } from '../../core/plan-integrations.js';
import type { Secret } from '../../core/secret.js';
import {
  modeMismatch,
  paypalConstants,
  paypalMode,
  stripeConstants,
  stripeKeyMode,
  type GatewayMode,
} from '../../integrations/payment.js';
import type { Action, Step, StepContext } from '../step.js';
import { integrationTool, integrationsWith, secretOf } from './context.js';

/** Refused before anything runs: a mode the environment forbids (issue 17), named with the fix. */
function assertMode(ctx: StepContext, id: string, gateway: string, mode: GatewayMode): void {
  const why = modeMismatch(ctx.plan.environment, mode);
  if (why)
    throw refused(`${id}: ${gateway} in ${mode} mode on ${ctx.plan.environment}: ${why}`, {
      fix: `set ${gateway.toLowerCase()}.mode to ${mode === 'live' ? 'test' : 'live'} with that mode's keys, or correct the plan's environment`,
    });
}

/** A stored Stripe key of the right kind and mode, else refused (a key Stripe did not issue is never guessed). */
function stripeKey(
  ctx: StepContext,
  id: string,
  s: StripeIntegration,
  field: 'publishableKey' | 'secretKey',
): Secret {
  const name = s[field].secret;
  const key = secretOf(ctx, name);
  const kinds = field === 'publishableKey' ? ['pk'] : ['sk', 'rk'];
  const mode = stripeKeyMode(key.reveal());
  const kind = key.reveal().slice(0, 2);
  if (!mode || !kinds.includes(kind))
    throw refused(
      `${id}: secret ${name} does not hold a Stripe ${field === 'publishableKey' ? 'publishable key (pk_…)' : 'secret key (sk_… or rk_…)'}`,
      {
        fix: `store the key from the Stripe dashboard: mokodeploy secret set ${name} < key-file`,
      },
    );
  if (mode !== s.mode)
    throw refused(`${id}: secret ${name} holds a ${mode} key but the plan says stripe.mode ${s.mode}`, {
      fix: `store the ${s.mode} key under ${name}, or change stripe.mode (live on production only)`,
    });
  return key;
}

/**
 * Policy Phase 2 step 7 "Configure payment gateways": Dolibarr's Stripe and PayPal modules enabled (activateModule)
 * and set up with the plan's credentials from the secret store (src/integrations/payment.ts), in the mode the
 * environment allows: live on production, test/sandbox elsewhere; a Stripe key's own prefix must agree.
 */
export const configurePayment: Step = {
  id: 'integrations:payment',
  title: 'Configure the payment gateways (Stripe, PayPal)',
  policyRef: 'deploy.phase2.configure-integrations',
  plan(ctx) {
    const actions: Action[] = [];
    for (const i of integrationsWith(ctx, 'stripe')) {
      assertMode(ctx, i.id, 'Stripe', i.stripe.mode);
      const keys = {
        publishable: stripeKey(ctx, i.id, i.stripe, 'publishableKey'),
        secret: stripeKey(ctx, i.id, i.stripe, 'secretKey'),
        webhook: secretOf(ctx, i.stripe.webhookSecret.secret),
      };
      actions.push(
        {
          kind: 'run',
          description: `${i.id}: enable module Stripe (activateModule)`,
          command: integrationTool(ctx, 'enable-modules.php', { modules: ['modStripe'] }),
        },
        {
          kind: 'run',
          description: `${i.id}: Stripe ${i.stripe.mode} keys, webhook secret, STRIPE_LIVE ${i.stripe.mode === 'live' ? 1 : 0}, webhook user ${ctx.plan.admin.login}`,
          command: integrationTool(ctx, 'integration-set-payment.php', {
            constants: stripeConstants(i.stripe, keys),
            stripeActionsUser: true,
          }),
        },
      );
    }
    for (const i of integrationsWith(ctx, 'paypal')) {
      assertMode(ctx, i.id, 'PayPal', paypalMode(i.paypal));
      const p = i.paypal;
      const creds = {
        user: secretOf(ctx, p.apiUser.secret),
        password: secretOf(ctx, p.apiPassword.secret),
        signature: secretOf(ctx, p.apiSignature.secret),
      };
      actions.push(
        {
          kind: 'run',
          description: `${i.id}: enable module PayPal (activateModule)`,
          command: integrationTool(ctx, 'enable-modules.php', { modules: ['modPaypal'] }),
        },
        {
          kind: 'run',
          description: `${i.id}: PayPal API credentials, ${p.mode} (PAYPAL_API_SANDBOX ${p.mode === 'sandbox' ? 1 : 0})`,
          command: integrationTool(ctx, 'integration-set-payment.php', {
            constants: paypalConstants(p, creds),
          }),
        },
      );
    }
    return actions;
  },
};
