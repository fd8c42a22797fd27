import type { Secret } from '../core/secret.js';
import type { ImapIntegration, Integration } from '../core/plan-integrations.js';

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
 * The collector reads mail with the PHP-IMAP library Dolibarr ships (htdocs/includes/webklex/php-imap, 19.0.4 and
 * 20.0.2) when MAIN_IMAP_USE_PHPIMAP is set — the switch of admin/emailcollector_list.php l.703-713 — instead of
 * PHP's imap extension (imap_open, emailcollector.class.php l.1261-1280), which Debian's PHP 8.2 lacks unless
 * php-imap is installed and PHP 8.4 dropped. It also checks the server's certificate ('validate_cert' => true,
 * l.1236-1245), where the imap_open path adds /novalidate-cert (l.790).
 */
export const collectorConstants = [{ name: 'MAIN_IMAP_USE_PHPIMAP', value: '1', entity: 1 }];
