import type { CommandModule } from './module.js';
import { inputError } from '../../core/errors.js';
import { SecretStore } from '../../store/secrets.js';
import { deliverOutbox, type Sender } from '../../notify/deliver.js';
import { smtpTransport } from '../../notify/transport.js';
import type { OutboxMessage } from '../../notify/message.js';

/** `mokodeploy outbox [--deployment ID]` lists the messages; `outbox send` delivers the due ones (issue 16). */
export const outboxCommands: CommandModule = {
  register(program, app) {
    const outbox = program
      .command('outbox')
      .description('the messages to the client and the team: queued, sent (with the server reply) or failed')
      .option('--deployment <id>', "only this deployment's messages")
      .action(async (o: { deployment?: string }) => {
        const a = app();
        const messages = await (await a.store()).outbox({ deploymentId: o.deployment });
        a.out.result(messages.map(listed), () => (messages.length ? messages.map(line).join('\n') : 'the outbox is empty'));
      });
    outbox
      .command('send')
      .description('deliver the queued messages that are due (SMTP from the team file, the chat webhook)')
      .option('--deployment <id>', "only this deployment's messages")
      .option('--limit <n>', 'at most this many messages', (v) => Number.parseInt(v, 10), 100)
      .option(
        '--reclaim-after <minutes>',
        'also take messages a sender claimed that long ago and never settled (it died; they may have gone out once)',
        (v) => Number.parseInt(v, 10),
      )
      .action(async (o: { deployment?: string; limit: number; reclaimAfter?: number }) => {
        const a = app();
        const settings = a.team().team.notify;
        if (!settings)
          throw inputError('the team file has no notify settings: nothing can be sent', {
            where: a.team().file,
            fix: 'add notify: { from: ADDRESS, smtp: { host, port, tls, user, password: { secret: NAME } } }',
          });
        const smtp = settings.smtp;
        const password = smtp?.password ? new SecretStore(a.home).get(smtp.password.secret) : undefined;
        const sender: Sender | undefined = smtp ? smtpTransport(smtp, password) : undefined;
        const store = await a.store();
        const results = await deliverOutbox({
          store,
          settings,
          smtp: sender,
          home: a.home,
          evidence: a.evidenceFiles(),
          now: () => a.now(),
          deploymentId: o.deployment,
          limit: o.limit,
          reclaimMinutes: o.reclaimAfter,
        });
        const left = (await store.outbox({ deploymentId: o.deployment })).filter((m) => m.status === 'queued').length;
        const sent = results.filter((r) => r.ok).length;
        a.out.result({ sent, notSent: results.length - sent, queued: left, results }, () =>
          [
            ...results.map((r) => `#${r.id} ${r.ok ? 'sent' : 'not sent'}: ${r.reply}`),
            `${sent} sent, ${results.length - sent} not sent, ${left} queued`,
          ].join('\n'),
        );
        if (results.some((r) => !r.ok)) process.exitCode = 6; // as a target that failed: the relay or webhook did not take them
      });
  },
};

function listed(m: OutboxMessage) {
  const { text: _t, html: _h, attachments, ...rest } = m;
  return { ...rest, attachments: attachments.map((x) => x.filename) };
}

function line(m: OutboxMessage): string {
  const when = m.status === 'sent' ? `sent ${m.sentAt}` : m.status === 'queued' ? `next try ${m.nextAttemptAt}` : m.status;
  return `#${m.id} ${m.deploymentId ?? '-'} ${m.event} ${m.status} to ${m.recipient} "${m.subject}" (${m.attempts} attempts, ${when})${m.reply ? ` reply: ${m.reply}` : ''}`;
}


