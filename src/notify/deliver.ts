import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { Store } from '../store/store.js';
import { DirEvidenceFiles } from '../evidence/dir.js';
import type { EvidenceFiles } from '../evidence/files.js';
import { MokoError } from '../core/errors.js';
import type { NotifySettings } from '../core/team.js';
import type { Delivery, OutboxMessage } from './message.js';
import { mailOf } from './mail.js';
import { webhookBody } from './webhook.js';

export interface Sender {
  sendMail(mail: Mail.Options): Promise<{ response: string }>;
}

export interface DeliverOptions {
  store: Store;
  settings: NotifySettings;
  /** The SMTP client; absent when the team file has no relay (e-mails stay queued). */
  smtp?: Sender;
  home: string;
  /** Where evidence attachments are read (default `<home>/evidence`). */
  evidence?: EvidenceFiles;
  now: () => Date;
  deploymentId?: string;
  limit?: number;
  /** Take back messages a sender claimed this many minutes ago or more and never settled. */
  reclaimMinutes?: number;
}

export const maxAttempts = 8;

/**
 * `mokodeploy outbox send`: claim the due messages (no other sender can have them), deliver each, record the
 * reply. A relay that is down leaves them queued with a back-off; a permanent refusal marks them failed.
 */
export async function deliverOutbox(opts: DeliverOptions) {
  const claimer = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const claimed = await opts.store.claimOutbox({
    claimer,
    now: opts.now().toISOString(),
    limit: opts.limit ?? 100,
    deploymentId: opts.deploymentId,
    ...(opts.reclaimMinutes !== undefined
      ? { staleBefore: new Date(opts.now().getTime() - opts.reclaimMinutes * 60_000).toISOString() }
      : {}),
  });
  const results: { id: number; ok: boolean; reply: string }[] = [];
  for (const m of claimed) {
    const delivery = await deliverOne(m, opts);
    await opts.store.settleOutbox(m.id, { claimer, now: opts.now().toISOString(), delivery, maxAttempts });
    results.push({ id: m.id, ok: delivery.ok, reply: delivery.reply });
  }
  return results;
}

async function deliverOne(m: OutboxMessage, opts: DeliverOptions): Promise<Delivery> {
  if (m.channel === 'webhook') return postWebhook(m, opts.settings);
  if (!opts.smtp) return { ok: false, reply: 'no SMTP relay in the team file (notify.smtp)', permanent: false };
  let mail: Mail.Options;
  try {
    mail = await mailOf(m, opts.settings, opts.evidence ?? new DirEvidenceFiles(join(opts.home, 'evidence')));
  } catch (e) {
    // an evidence location that did not answer or lacks the file (another machine's, not copied yet) is tried again
    // later, with the back-off; a file changed since it was recorded is never sent
    const again = e instanceof MokoError && (e.kind === 'target' || e.kind === 'not-found');
    return { ok: false, reply: `cannot build the message: ${(e as Error).message}`, permanent: !again };
  }
  try {
    const info = await opts.smtp.sendMail(mail);
    return { ok: true, reply: info.response };
  } catch (e) {
    const err = e as { responseCode?: number; response?: string; message: string };
    // 5xx: the server refuses this message for good; anything else (down, 4xx) is tried again later
    return {
      ok: false,
      reply: err.response ?? err.message,
      permanent: err.responseCode !== undefined && err.responseCode >= 500,
    };
  }
}

async function postWebhook(m: OutboxMessage, settings: NotifySettings): Promise<Delivery> {
  const url = settings.webhook?.url;
  if (!url) return { ok: false, reply: 'no webhook in the team file (notify.webhook.url)', permanent: false };
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: webhookBody(m.text),
      signal: AbortSignal.timeout(15_000),
      redirect: 'error',
    });
    const reply = `${res.status} ${(await res.text()).slice(0, 200)}`.trim();
    if (res.ok) return { ok: true, reply };
    return { ok: false, reply, permanent: res.status >= 400 && res.status < 500 && res.status !== 429 };
  } catch (e) {
    return { ok: false, reply: (e as Error).message, permanent: false };
  }
}
