import type { Policy } from '../policy/types.js';
import type { Team } from '../core/team.js';
import type { Attachment, Notifier, NotifyChange, OutboxDraft } from './message.js';
import { eventsOf, type NotifyEvent } from './events.js';
import { recipientsOf, type Recipient } from './recipients.js';
import { renderData } from './render-data.js';
import { loadTemplates, oneHeaderLine, renderHtml, renderText, type Template } from './template-files.js';
import { windowInvitation } from './ics.js';
import { chatText } from './webhook.js';

export interface NotifierOptions {
  /** The team file (people's e-mails, notify settings); undefined when there is none. */
  team: () => Team | undefined;
  policy: () => Policy;
  /** A consultancy's own template directory (files missing there come from the shipped ones). */
  templatesDir?: () => string | undefined;
}

/**
 * The notifier the store calls inside each change's transaction: the change's events (events.ts), each rendered
 * once per recipient from the templates, plus one chat message per event when the team has a webhook.
 */
export function createNotifier(opts: NotifierOptions): Notifier {
  let templates: Map<string, Template> | undefined;
  return (change) => {
    const events = eventsOf(change);
    if (events.length === 0) return [];
    templates ??= loadTemplates(opts.templatesDir?.());
    const team = opts.team();
    return events.flatMap((event) => draftsOf(event, change, templates!.get(event.kind)!, team, opts.policy()));
  };
}

function draftsOf(event: NotifyEvent, change: NotifyChange, t: Template, team: Team | undefined, policy: Policy): OutboxDraft[] {
  const data = renderData(event, { at: change.entry.at, actor: change.entry.actor, team, policy });
  const recipients = recipientsOf(event.record, event.audience, team);
  const attachments = attachmentsOf(event, change, recipients, team);
  const base = { event: event.kind, template: event.kind };
  const mails = recipients.map((to): OutboxDraft => {
    const values = { ...data, recipientName: to.name };
    return {
      ...base,
      channel: 'email',
      recipient: to.address,
      recipientName: oneHeaderLine(to.name),
      subject: oneHeaderLine(renderText(t.subject, values)),
      text: renderText(t.text, values),
      html: renderHtml(t.html, values),
      attachments,
    };
  });
  if (!team?.notify?.webhook) return mails;
  const values = { ...data, recipientName: 'team' };
  const subject = oneHeaderLine(renderText(t.subject, values));
  const chat: OutboxDraft = {
    ...base,
    channel: 'webhook',
    recipient: 'chat',
    subject,
    text: chatText(subject, renderText(t.text, values)),
    attachments: [],
  };
  return [...mails, chat];
}

function attachmentsOf(event: NotifyEvent, change: NotifyChange, recipients: Recipient[], team: Team | undefined): Attachment[] {
  const r = event.record;
  const exception = event.kind === 'window-exception' ? r.windowExceptions?.at(-1) : undefined;
  if (event.kind === 'window-scheduled' || (exception && !exception.emergency && r.schedule)) {
    const organizer = team?.notify
      ? { name: team.notify.fromName ?? 'mokodeploy', address: team.notify.from }
      : { name: 'mokodeploy', address: 'mokodeploy@localhost' };
    // one calendar entry per deployment: a re-schedule or a new window by exception updates it (a higher SEQUENCE)
    const sequence =
      Math.max(0, r.transitions.filter((x) => x.to === 'scheduled').length - 1) +
      (r.windowExceptions ?? []).filter((x) => !x.emergency).length;
    const shown = exception ? { ...r, schedule: { ...r.schedule!, start: exception.start!, end: exception.end! } } : r;
    const ics = windowInvitation(shown, { organizer, attendees: recipients, sequence, now: new Date(change.entry.at) });
    return ics ? [ics] : [];
  }
  if (event.kind === 'handoff-delivered') {
    // the delivered pack goes with the message when it is a file; a link is in the text ({{handoff}})
    return (r.handoff?.evidence ?? []).flatMap((e) =>
      e.kind === 'file'
        ? [{ filename: e.name, contentType: e.name.endsWith('.pdf') ? 'application/pdf' : 'application/octet-stream', evidenceSha256: e.sha256 }]
        : [],
    );
  }
  return [];
}
