import { html, type Html } from '../html.js';
import type { OutboxMessage } from '../../notify/message.js';

/** The messages of this deployment (issue 16 "Communication"): to whom, which event, queued, sent or failed. */
export function outboxSection(messages: readonly OutboxMessage[]): Html {
  return html`<section aria-labelledby="outbox-title">
    <h2 id="outbox-title">Messages</h2>
    ${
      messages.length === 0
        ? html`<p class="muted">No messages to the client or the team yet.</p>`
        : html`<table class="stack">
            <caption class="sr-only">
              Messages to the client and the team
            </caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">To</th>
                <th scope="col">Subject</th>
                <th scope="col">Status</th>
                <th scope="col">Server reply</th>
              </tr>
            </thead>
            <tbody>
              ${messages.map(
                (m) =>
                  html`<tr>
                    <td data-label="Event">${m.event}</td>
                    <td data-label="To">
                      ${m.channel === 'webhook' ? 'team chat' : m.recipientName ? `${m.recipientName} <${m.recipient}>` : m.recipient}
                    </td>
                    <th scope="row">${m.subject}</th>
                    <td data-label="Status">
                      ${m.status}${m.status === 'sent' ? `, ${m.sentAt}` : m.status === 'queued' ? `, next try ${m.nextAttemptAt}` : ''}
                      (${m.attempts} ${m.attempts === 1 ? 'attempt' : 'attempts'})
                    </td>
                    <td data-label="Server reply">${m.reply ?? ''}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
  </section>`;
}
