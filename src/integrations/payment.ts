import type { Secret } from '../core/secret.js';
import type { PaypalIntegration, StripeIntegration } from '../core/plan-integrations.js';
import type { Plan } from '../core/plan.js';
import type { DolibarrConstant } from './smtp.js';

/** Live or test, whatever the gateway calls it. */
export type GatewayMode = 'live' | 'test';

export const stripeMode = (s: StripeIntegration): GatewayMode => s.mode;
export const paypalMode = (p: PaypalIntegration): GatewayMode => (p.mode === 'live' ? 'live' : 'test');

/**
 * Issue 17: the mode must match the environment: live keys on production, test keys everywhere else; the reverse
 * is refused (a production site taking test payments, or a staging copy charging real cards). Null when fine.
 */
export function modeMismatch(environment: Plan['environment'], mode: GatewayMode): string | undefined {
  if (environment === 'production' && mode !== 'live')
    return 'a production site needs live keys: test keys would take no real payment';
  if (environment !== 'production' && mode === 'live')
    return `a ${environment} site must not use live keys: it could charge real cards`;
  return undefined;
}

/**
 * The mode a Stripe key says it is for, by Stripe's key prefixes (pk_/sk_/rk_ then test_ or live_); webhook
 * secrets (whsec_) carry no mode. Undefined for a value that is not a Stripe key.
 */
export function stripeKeyMode(key: string): GatewayMode | undefined {
  const m = /^(?:pk|sk|rk)_(test|live)_[A-Za-z0-9]+$/.exec(key);
  return m ? (m[1] as GatewayMode) : undefined;
}

/**
 * The constants of htdocs/stripe/admin/stripe.php l.60-88 and l.163 (20.0.2): the keys of the plan's mode
 * (STRIPE_TEST_* or STRIPE_LIVE_*; *_SECRET_KEY and *_WEBHOOK_KEY end in _KEY, so dolibarr_set_const() stores them
 * encrypted) and STRIPE_LIVE, which stripe/config.php l.47-52 reads to pick the key pair.
 */
export function stripeConstants(
  s: StripeIntegration,
  keys: { publishable: Secret; secret: Secret; webhook: Secret },
): DolibarrConstant[] {
  const p = s.mode === 'live' ? 'STRIPE_LIVE' : 'STRIPE_TEST';
  const c = (name: string, value: string): DolibarrConstant => ({ name, value, entity: 1 });
  return [
    c(`${p}_PUBLISHABLE_KEY`, keys.publishable.reveal()),
    c(`${p}_SECRET_KEY`, keys.secret.reveal()),
    c(`${p}_WEBHOOK_KEY`, keys.webhook.reveal()),
    c('STRIPE_LIVE', s.mode === 'live' ? '1' : '0'),
  ];
}

/**
 * htdocs/paypal/admin/paypal.php l.48-56 (20.0.2) and PAYPAL_API_SANDBOX, which paypal/lib/paypal.lib.php l.460-465
 * reads to choose https://api-3t.sandbox.paypal.com/nvp or https://api-3t.paypal.com/nvp.
 */
export function paypalConstants(
  p: PaypalIntegration,
  creds: { user: Secret; password: Secret; signature: Secret },
): DolibarrConstant[] {
  const c = (name: string, value: string): DolibarrConstant => ({ name, value, entity: 1 });
  return [
    c('PAYPAL_API_USER', creds.user.reveal()),
    c('PAYPAL_API_PASSWORD', creds.password.reveal()),
    c('PAYPAL_API_SIGNATURE', creds.signature.reveal()),
    c('PAYPAL_API_SANDBOX', p.mode === 'sandbox' ? '1' : '0'),
  ];
}

/** The API host Dolibarr's PayPal code calls in this mode (paypal.lib.php l.460-465), unless the plan names one. */
export const paypalApiHost = (p: PaypalIntegration): string =>
  p.apiHost ?? (p.mode === 'sandbox' ? 'api-3t.sandbox.paypal.com' : 'api-3t.paypal.com');
