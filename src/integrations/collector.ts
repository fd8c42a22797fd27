import type { Secret } from '../core/secret.js';
import type { ImapIntegration, Integration } from '../core/plan-integrations.js';
import type { Plan } from '../core/plan.js';
import type { DolibarrConstant } from './smtp.js';

/** The collector's imap_encryption (emailcollector.class.php l.124: 'ssl', 'tls' (STARTTLS) or 'notls'). */
export const imapEncryption = (security: ImapIntegration['security']): string =>
  security === 'none' ? 'notls' : security;

/** The request for integration-configure-collector.php: the collector's ref is the integration id. */
export function collectorRequest(i: Integration & { imap: ImapIntegration }, password: Secret) {
  const m = i.imap;
  return {
    collector: {
      ref: i.id,
      label: i.description ?? `mokodeploy: ${i.id}`,
      host: m.host,
      port: m.port,
      encryption: imapEncryption(m.security),
      login: m.login,
      password: password.reveal(),
      folder: m.folder,
      targetFolder: m.targetFolder ?? '',
      maxPerCollect: m.maxPerCollect,
      filters: m.filters.map((f) => ({ type: f.type, value: f.value ?? '' })),
      actions: m.actions.map((a) => ({ type: a.type, param: a.param ?? '' })),
    },
  };
}

/**
 * MAIL_FROM_EMAILS_TO_CONSIDER_SENDING: the client's own sender addresses. doCollectOneCollector() records a mail as
 * sent (AC_EMAIL) when its From matches one of them (emailcollector.class.php l.2403-2414, 20.0.2) — and, the constant
 * being empty, explode() gives [''] and preg_match('//') matches every sender: on a new 20.0.2 every collected mail
 * is recorded as an outgoing one (seen on real 20.0.2). Our own senders (the SMTP sender and bounce address, else the
 * collector logins) fix it. MAIN_IMAP_USE_PHPIMAP is decided on the target by configure-collector.php.
 */
export function collectorConstants(plan: Plan): DolibarrConstant[] {
  const smtp = plan.integrations.find((i) => i.smtp)?.smtp;
  const own = smtp
    ? [smtp.from, ...(smtp.errorsTo ? [smtp.errorsTo] : [])]
    : plan.integrations.flatMap((i) => (i.imap && i.imap.login.includes('@') ? [i.imap.login] : []));
  return own.length
    ? [{ name: 'MAIL_FROM_EMAILS_TO_CONSIDER_SENDING', value: [...new Set(own)].join(','), entity: 1 }]
    : [];
}
