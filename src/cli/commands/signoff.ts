import type { CommandModule } from './module.js';
import { evidenceFrom, withEvidenceOptions } from './evidence-options.js';
import { refused } from '../../core/errors.js';
import { assertPdfIfNamedSo, collect, confirmationsFrom, type ConfirmOptions } from './signoff-confirm.js';

const list = (v?: string) =>
  v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

export const signoffCommands: CommandModule = {
  register(program, app) {
    withEvidenceOptions(
      program
        .command('signoff <id> <kind>')
        .description(
          'give a sign-off: technical (technical lead), go-live (deployment manager) or client (client success manager)',
        )
        .option('--as <login>', 'who acts')
        .option('--signatory <name>', 'the client signatory (client sign-off)')
        .option(
          '--confirm <item[=name]>',
          'client sign-off: an item the client confirmed (functionality-approved, training-completed, documentation-accepted, support-confirmed), by --signatory or by the name given (repeatable)',
          collect,
        )
        .option('--confirm-link <item=url>', 'client sign-off: evidence of an item as a link (repeatable)', collect)
        .option('--confirm-file <item=path>', 'client sign-off: evidence of an item as a file (repeatable)', collect)
        .option('--note <text>', 'note'),
    ).action(
      async (
        id: string,
        kind: string,
        o: {
          as?: string;
          signatory?: string;
          note?: string;
          evidence?: string[];
          file?: string[];
          link?: string[];
        } & ConfirmOptions,
      ) => {
        const a = app();
        await a.actor(o.as);
        const confirmations = await confirmationsFrom(a, o);
        await a.act(
          id,
          'signoff',
          { kind, signatory: o.signatory, note: o.note, evidence: await evidenceFrom(a, o), confirmations },
          o.as,
        );
        a.out.result({ id, signoff: kind }, () => `${id}: ${kind} sign-off given`);
      },
    );

    withEvidenceOptions(
      program
        .command('handoff-deliver <id>')
        .description('record the handoff pack as delivered to the client')
        .option('--as <login>', 'who acts'),
    ).action(
      async (id: string, o: { as?: string; evidence?: string[]; file?: string[]; link?: string[] }) => {
        const a = app();
        await a.actor(o.as);
        for (const path of o.file ?? []) assertPdfIfNamedSo(path);
        await a.act(id, 'handoff-deliver', { evidence: await evidenceFrom(a, o) }, o.as);
        a.out.result({ id, handoff: 'delivered' }, () => `${id}: handoff pack delivered`);
      },
    );

    const training = program
      .command('training')
      .description('training sessions (admin, user, advanced, follow-up)');
    training
      .command('plan <id> <session>')
      .option('--as <login>', 'who acts')
      .requiredOption('--at <iso>', 'when')
      .option('--materials <list>', 'comma-separated materials')
      .action(async (id: string, session: string, o: { as?: string; at: string; materials?: string }) => {
        const r = await app().act(
          id,
          'training-plan',
          { session, plannedAt: o.at, materials: list(o.materials) },
          o.as,
        );
        const t = r.trainings.at(-1)!;
        app().out.result(t, () => `${id}: training #${t.id} (${session}) planned for ${o.at}`);
      });
    training
      .command('held <id> <number>')
      .option('--as <login>', 'who acts')
      .requiredOption('--at <iso>', 'when it was held')
      .requiredOption('--hours <n>', 'how long')
      .requiredOption('--attendees <list>', 'comma-separated attendees')
      .option('--materials <list>', 'comma-separated materials')
      .option('--reason <text>', "why it lasted outside the policy's range (admin 2-4 h, user 1-2 h)")
      .action(
        async (
          id: string,
          n: string,
          o: { as?: string; at: string; hours: string; attendees: string; materials?: string; reason?: string },
        ) => {
          await app().act(
            id,
            'training-held',
            {
              id: Number(n),
              heldAt: o.at,
              durationHours: Number(o.hours),
              durationReason: o.reason,
              attendees: list(o.attendees),
              materials: list(o.materials),
            },
            o.as,
          );
          app().out.result({ id, training: Number(n), held: true }, () => `${id}: training #${n} held`);
        },
      );

    withEvidenceOptions(
      program
        .command('knowledge-base <id>')
        .description('record the knowledge-base update (policy "Deployment Sign-Off"): a link or a file')
        .option('--as <login>', 'who acts'),
    ).action(
      async (id: string, o: { as?: string; evidence?: string[]; file?: string[]; link?: string[] }) => {
        const a = app();
        await a.actor(o.as);
        await a.act(id, 'knowledge-base', { evidence: await evidenceFrom(a, o) }, o.as);
        a.out.result({ id, knowledgeBase: 'updated' }, () => `${id}: knowledge-base update recorded`);
      },
    );

    const support = program.command('support').description('hypercare: check-ins and feedback');
    support
      .command('checkin <id>')
      .option('--as <login>', 'who acts')
      .requiredOption('--summary <text>', 'what was checked and found')
      .action(async (id: string, o: { as?: string; summary: string }) => {
        const r = await app().act(id, 'support-checkin', { summary: o.summary }, o.as);
        app().out.result(
          { id, checkIns: r.support?.checkIns.length },
          () => `${id}: check-in recorded (${r.support?.checkIns.length} so far)`,
        );
      });
    support
      .command('feedback <id> <text>')
      .option('--as <login>', 'who acts')
      .action(async (id: string, text: string, o: { as?: string }) => {
        await app().act(id, 'support-feedback', { text }, o.as);
        app().out.result({ id }, () => `${id}: feedback recorded`);
      });

    program
      .command('satisfaction <id> <score>')
      .description('record the client satisfaction score (policy scale)')
      .option('--as <login>', 'who acts')
      .option('--comment <text>', 'comment')
      .action(async (id: string, score: string, o: { as?: string; comment?: string }) => {
        const n = Number(score);
        if (Number.isNaN(n))
          throw refused(`"${score}" is not a number`, {
            fix: 'give a whole number on the policy scale, e.g. 4',
          });
        await app().act(id, 'satisfaction', { score: n, comment: o.comment }, o.as);
        app().out.result({ id, score: n }, () => `${id}: satisfaction ${n}`);
      });
  },
};
