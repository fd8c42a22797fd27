import type { Secret } from '../core/secret.js';
import type { SmtpIntegration } from '../core/plan-integrations.js';
import { smtpServerForDolibarr } from '../steps/install/configure-email.js';

/** A constant for set-constants.php (dolibarr_set_const; an empty value deletes it, admin.lib.php l.673-682). */
export interface DolibarrConstant {
  name: string;
  value: string;
  entity: number;
}

/**
 * Outgoing mail as htdocs/admin/mails.php l.91-120 (20.0.2) saves it, through dolibarr_set_const() at the
 * company's entity: MAIN_MAIL_SENDMODE 'smtps' (Dolibarr's own SMTP client, core/class/smtps.class.php),
 * server and port, MAIN_MAIL_EMAIL_TLS (CMailFile prefixes the host with ssl://) or MAIN_MAIL_EMAIL_STARTTLS
 * (tls://, STARTTLS before AUTH, smtps.class.php l.527-600), MAIN_MAIL_SMTPS_ID / MAIN_MAIL_SMTPS_PW (stored
 * encrypted: dolibarr_set_const() encrypts names ending in _PW, admin.lib.php l.683-689), AUTH LOGIN, certificate
 * checks on (MAIN_MAIL_EMAIL_SMTP_ALLOW_SELF_SIGNED 0), sender and bounce address.
 */
export function smtpConstants(smtp: SmtpIntegration, password: Secret | undefined): DolibarrConstant[] {
  const c = (name: string, value: string): DolibarrConstant => ({ name, value, entity: 1 });
  return [
    c('MAIN_MAIL_SENDMODE', 'smtps'),
    c('MAIN_MAIL_SMTP_SERVER', smtpServerForDolibarr(smtp.host)),
    c('MAIN_MAIL_SMTP_PORT', String(smtp.port)),
    c('MAIN_MAIL_EMAIL_TLS', smtp.security === 'tls' ? '1' : '0'),
    c('MAIN_MAIL_EMAIL_STARTTLS', smtp.security === 'starttls' ? '1' : '0'),
    c('MAIN_MAIL_EMAIL_SMTP_ALLOW_SELF_SIGNED', '0'),
    c('MAIN_MAIL_SMTPS_ID', smtp.login ?? ''),
    c('MAIN_MAIL_SMTPS_PW', password?.reveal() ?? ''),
    c('MAIN_MAIL_SMTPS_AUTH_TYPE', smtp.login ? 'LOGIN' : ''),
    c('MAIN_MAIL_EMAIL_FROM', smtp.from),
    c('MAIN_MAIL_ERRORS_TO', smtp.errorsTo ?? ''),
  ];
}

/** What the step shows (never the password). */
export function describeSmtp(smtp: SmtpIntegration): string {
  const auth = smtp.login ? `, login ${smtp.login}` : ', no login';
  return `SMTP ${smtp.host}:${smtp.port} (${smtp.security}${auth}) from ${smtp.from}`;
}
