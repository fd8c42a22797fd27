import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import type { NotifySettings } from '../core/team.js';
import type { Secret } from '../core/secret.js';
import { inputError } from '../core/errors.js';

export type SmtpSettings = NonNullable<NotifySettings['smtp']>;

/**
 * The SMTP client (nodemailer): implicit TLS or a required STARTTLS upgrade unless the team file says `none`
 * (a relay on this machine); certificates checked against the system's CAs and `ca`; login with the password
 * from the secret store, never from the team file.
 */
export function smtpTransport(smtp: SmtpSettings, password: Secret | undefined) {
  if (smtp.user && !password)
    throw inputError('the SMTP relay has a user but no password secret', {
      where: 'team file notify.smtp',
      fix: 'add password: { secret: NAME } and store it: mokodeploy secret set NAME',
    });
  return nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.tls === 'implicit',
    requireTLS: smtp.tls === 'starttls',
    ignoreTLS: smtp.tls === 'none',
    ...(smtp.user && password ? { auth: { user: smtp.user, pass: password.reveal() } } : {}),
    tls: { rejectUnauthorized: true, ...(smtp.ca ? { ca: readFileSync(smtp.ca) } : {}) },
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
}
