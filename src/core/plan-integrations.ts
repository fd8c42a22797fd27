import { z } from 'zod';
import {
  absolutePath,
  email,
  hostOrAddress,
  hostname,
  httpUrl,
  oneLine,
  rawHtmlLabel,
  secretName,
} from './plan-strings.js';
import { webhookIntegration } from './plan-webhook.js';
import { apiAccessIntegration } from './plan-api-access.js';

/**
 * The plan's `integrations` section (issue 17, policy Phase 2 step 7 "Configure integrations"). Each entry keeps
 * its id, kind, endpoint and description (reports, the `apis` check) and may say how Dolibarr is configured for it:
 * `smtp` (outgoing mail), `imap` (Dolibarr's email collector), `stripe` / `paypal` (payment modules), `api` (an
 * external system reached from the target). Secrets are references to the encrypted store, never values.
 */
const secretRef = z.strictObject({ secret: secretName });
const port = z.number().int().min(1).max(65535);

/** A private CA the target trusts for this server (PEM on the target): mokodeploy's own PHP runs use it. */
const caFile = absolutePath.optional();

/** Outgoing mail: the constants htdocs/admin/mails.php saves (MAIN_MAIL_SENDMODE smtps, server, TLS, auth, sender). */
export const smtpIntegration = z
  .strictObject({
    host: hostOrAddress,
    port: port.default(587),
    /** starttls: MAIN_MAIL_EMAIL_STARTTLS; tls: MAIN_MAIL_EMAIL_TLS (implicit TLS, port 465); none: plain. */
    security: z.enum(['starttls', 'tls', 'none']).default('starttls'),
    login: oneLine(128).optional(),
    password: secretRef.optional(),
    from: email,
    errorsTo: email.optional(),
    /** Where the verification sends its test mail (default: the plan's email.testRecipient, else the company's). */
    testRecipient: email.optional(),
    caFile,
  })
  .refine((s) => !s.login === !s.password, {
    message: 'give both login and password (a secret reference), or neither',
    path: ['password'],
  })
  .refine((s) => !(s.security === 'starttls' && !s.login), {
    // Dolibarr's SMTPs client sends STARTTLS only inside its authentication (core/class/smtps.class.php l.527-600)
    message: "starttls needs a login: Dolibarr's SMTP client starts TLS only before authenticating",
    path: ['login'],
  });

/** Filter types of Dolibarr's email collector (htdocs/admin/emailcollector_card.php l.647-671). */
export const collectorFilterTypes = [
  'from',
  'to',
  'cc',
  'bcc',
  'replyto',
  'subject',
  'body',
  'seen',
  'unseen',
  'unanswered',
  'answered',
  'smaller',
  'larger',
  'withtrackingid',
  'withouttrackingid',
  'withtrackingidinmsgid',
  'withouttrackingidinmsgid',
  'isnotanswer',
  'isanswer',
] as const;

/** Filter types that take no value (EmailCollectorFilter::create(), emailcollectorfilter.class.php l.161). */
export const valuelessFilterTypes: readonly string[] = collectorFilterTypes.filter(
  (t) => !['from', 'to', 'cc', 'bcc', 'replyto', 'subject', 'body', 'smaller', 'larger'].includes(t),
);

/** Operation types of the collector (admin/emailcollector_card.php l.744-760). */
export const collectorActionTypes = [
  'recordevent',
  'loadthirdparty',
  'loadandcreatethirdparty',
  'recordjoinpiece',
  'project',
  'ticket',
] as const;

/** Incoming mail: one Dolibarr email collector (llx_emailcollector_emailcollector, its filters and actions). */
export const imapIntegration = z
  .strictObject({
    host: hostOrAddress,
    port: port.default(993),
    /** imap_encryption of the collector: ssl (implicit TLS), tls (STARTTLS), none ('notls'). */
    security: z.enum(['ssl', 'tls', 'none']).default('ssl'),
    login: oneLine(128),
    password: secretRef,
    folder: oneLine(255).default('INBOX'),
    /** Where collected mail is moved (target_directory); empty: left in place. */
    targetFolder: oneLine(255).optional(),
    filters: z
      .array(
        z.strictObject({
          type: z.enum(collectorFilterTypes),
          // printed raw on the collector's card (admin/emailcollector_card.php l.718, 20.0.2)
          value: rawHtmlLabel(255, 'filter value as HTML on the email collector card').optional(),
        }),
      )
      .default([]),
    actions: z
      .array(z.strictObject({ type: z.enum(collectorActionTypes), param: oneLine(1000).optional() }))
      .min(1, 'list at least one action, e.g. {type: recordevent}')
      .default([{ type: 'recordevent' }]),
    maxPerCollect: z.number().int().min(1).max(1000).default(50),
    caFile,
  })
  .superRefine((s, ctx) => {
    s.filters.forEach((f, i) => {
      if (!valuelessFilterTypes.includes(f.type) && !f.value)
        ctx.addIssue({
          code: 'custom',
          path: ['filters', i, 'value'],
          message: `a ${f.type} filter needs a value`,
        });
    });
  });

/** Stripe (module modStripe, htdocs/stripe/admin/stripe.php): keys by reference, test or live. */
export const stripeIntegration = z.strictObject({
  mode: z.enum(['test', 'live']),
  publishableKey: secretRef,
  secretKey: secretRef,
  /** The endpoint secret (whsec_…) Stripe signs webhook events with: public/stripe/ipn.php refuses events without it. */
  webhookSecret: secretRef,
  /** The API host the target must reach (tests point it at a loopback server). */
  apiHost: hostname.default('api.stripe.com'),
  apiPort: port.default(443),
  caFile,
});

/** PayPal (module modPaypal, htdocs/paypal/admin/paypal.php): API credentials by reference, sandbox or live. */
export const paypalIntegration = z.strictObject({
  mode: z.enum(['sandbox', 'live']),
  apiUser: secretRef,
  apiPassword: secretRef,
  apiSignature: secretRef,
  apiHost: hostname.optional(),
  apiPort: port.default(443),
  caFile,
});

/** An external system the target calls: reachable over TLS, with its credential kept as a secret. */
export const apiIntegration = z.strictObject({
  url: httpUrl,
  /** The credential the client issued for Dolibarr's calls, by reference. */
  token: secretRef.optional(),
  /** The header carrying it: Authorization (sent as "Bearer <token>") or a key header such as X-API-Key. */
  tokenHeader: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,63}$/, 'an HTTP header name like Authorization or X-API-Key')
    .default('Authorization'),
  caFile,
});

export const integration = z.strictObject({
  id: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9-]{0,62}$/,
      'lower-case letters, digits and dashes, starting with a letter or digit',
    ),
  kind: z.enum(['email', 'payment', 'api', 'other']),
  endpoint: httpUrl.optional(),
  description: oneLine(500).optional(),
  smtp: smtpIntegration.optional(),
  imap: imapIntegration.optional(),
  stripe: stripeIntegration.optional(),
  paypal: paypalIntegration.optional(),
  api: apiIntegration.optional(),
  /** Dolibarr posts its events here (module Webhook, src/core/plan-webhook.ts). */
  webhook: webhookIntegration.optional(),
  /** The system calls Dolibarr's REST API with its own user and key (src/core/plan-api-access.ts). */
  apiAccess: apiAccessIntegration.optional(),
});

export type Integration = z.output<typeof integration>;
export type SmtpIntegration = z.output<typeof smtpIntegration>;
export type ImapIntegration = z.output<typeof imapIntegration>;
export type StripeIntegration = z.output<typeof stripeIntegration>;
export type PaypalIntegration = z.output<typeof paypalIntegration>;
export type ApiIntegration = z.output<typeof apiIntegration>;
