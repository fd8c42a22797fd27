import type { AuditEntry } from '../audit/entry.js';
import type { DeploymentRecord } from '../core/record.js';

/** The events the policy asks to communicate (issue 16 "Communication"); each has a template of the same name. */
export const eventKinds = [
  'window-scheduled',
  'window-exception',
  'deployment-started',
  'deployment-finished',
  'rollback-decided',
  'rollback-completed',
  'go-live',
  'hypercare-checkin',
  'handoff-delivered',
  'signoff-requested',
] as const;
export type EventKind = (typeof eventKinds)[number];

export type Channel = 'email' | 'webhook';

/** Inline content (an .ics invitation), or a file from the evidence folder by sha256 (the handoff pack). */
export interface Attachment {
  filename: string;
  contentType: string;
  content?: string;
  evidenceSha256?: string;
}

/** One message to queue: rendered when the event happens, delivered later. */
export interface OutboxDraft {
  event: EventKind;
  template: string;
  channel: Channel;
  /** An e-mail address, or the webhook's name ("chat"): the URL itself stays in the team file. */
  recipient: string;
  recipientName?: string;
  subject: string;
  text: string;
  html?: string;
  attachments: Attachment[];
}

export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed';

export interface OutboxMessage extends OutboxDraft {
  id: number;
  deploymentId: string | null;
  auditSeq: number;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  claimedBy?: string;
  claimedAt?: string;
  /** The SMTP server's (or webhook's) last reply. */
  reply?: string;
  sentAt?: string;
  createdAt: string;
}

/** What the store hands the notifier inside the transaction that writes the entry. */
export interface NotifyChange {
  entry: AuditEntry;
  before?: DeploymentRecord;
  after?: DeploymentRecord;
}

/** Maps a change to the messages it causes; called by the store inside the change's transaction. */
export type Notifier = (change: NotifyChange) => OutboxDraft[];

/** What delivering one message came to. `permanent`: no retry (an SMTP 5xx reply). */
export type Delivery = { ok: true; reply: string } | { ok: false; reply: string; permanent: boolean };
