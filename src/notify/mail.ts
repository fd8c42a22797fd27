import type Mail from 'nodemailer/lib/mailer/index.js';
import type { NotifySettings } from '../core/team.js';
import type { EvidenceFiles } from '../evidence/files.js';
import type { OutboxMessage } from './message.js';
import { oneHeaderLine } from './template-files.js';

/**
 * The nodemailer message of one outbox row. Addresses go as {name, address} objects (the library encodes the
 * name); the subject and names are flattened to one line again here, whatever the row holds. The Message-ID is
 * the row's, so a message delivered twice would show as the same message. Evidence attachments are read from the
 * evidence location, checked against their sha256 (a changed file is refused, never mailed).
 */
export async function mailOf(m: OutboxMessage, settings: NotifySettings, evidence: EvidenceFiles): Promise<Mail.Options> {
  const domain = settings.from.split('@')[1] ?? 'localhost';
  const calendar = m.attachments.find((a) => a.content !== undefined && a.contentType.startsWith('text/calendar'));
  return {
    messageId: `<outbox-${m.id}.${m.auditSeq}@${domain}>`,
    from: { name: oneHeaderLine(settings.fromName ?? 'mokodeploy'), address: settings.from },
    to: { name: oneHeaderLine(m.recipientName ?? ''), address: m.recipient },
    subject: oneHeaderLine(m.subject),
    // for the recipients' filters and the tests: which event of which deployment (both are slugs or known words)
    headers: { 'X-Mokodeploy-Event': m.event, ...(m.deploymentId ? { 'X-Mokodeploy-Deployment': m.deploymentId } : {}) },
    text: m.text,
    ...(m.html ? { html: m.html } : {}),
    ...(calendar ? { icalEvent: { method: 'REQUEST', filename: calendar.filename, content: calendar.content } } : {}),
    attachments: await Promise.all(
      m.attachments
        .filter((a) => a !== calendar)
        .map(async (a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: a.evidenceSha256 ? await evidence.get(a.evidenceSha256) : (a.content ?? ''),
        })),
    ),
  };
}
