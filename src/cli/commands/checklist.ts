import type { CommandModule } from './module.js';
import { evidenceFrom, withEvidenceOptions } from './evidence-options.js';
import { loadRecord } from './records.js';
import { checklistView } from '../../core/views.js';
import { renderTable } from '../../app/output.js';
import type { Evidence } from '../../core/record.js';

const showEvidence = (e: Evidence): string =>
  e.kind === 'text'
    ? e.text
    : e.kind === 'file'
      ? `${e.name} sha256:${e.sha256.slice(0, 12)}`
      : e.kind === 'link'
        ? e.url
        : e.kind === 'backup'
          ? `backup ${e.path}`
          : e.kind;

export const checklistCommands: CommandModule = {
  register(program, app) {
    program
      .command('checklist <id>')
      .description('the pre-deployment items this deployment must complete, with their evidence')
      .action(async (id: string) => {
        const a = app();
        const { record } = await loadRecord(a, id);
        const items = checklistView(a.policy(), record);
        a.out.result(items, () =>
          renderTable(
            ['', 'ITEM', 'WHAT', 'ROLE', 'BY', 'EVIDENCE'],
            items.map((i) => [
              i.done ? '[x]' : '[ ]',
              i.id,
              i.label,
              i.role,
              i.by ?? '',
              i.evidence.map(showEvidence).join('; ').slice(0, 60),
            ]),
          ),
        );
      });
    withEvidenceOptions(
      program
        .command('tick <id> <item>')
        .description('mark a checklist item done, with evidence (text, file or link)')
        .option('--as <login>', 'who acts')
        .option('--note <text>', 'note'),
    ).action(
      async (
        id: string,
        item: string,
        o: { as?: string; note?: string; evidence?: string[]; file?: string[]; link?: string[] },
      ) => {
        const a = app();
        await a.actor(o.as);
        const r = await a.act(id, 'tick', { item, evidence: await evidenceFrom(a, o), note: o.note }, o.as);
        a.out.result({ id, item, ticked: true, state: r.state }, () => `${id}: ${item} done`);
      },
    );
    program
      .command('untick <id> <item>')
      .description('mark a checklist item not done again (recorded with the reason)')
      .option('--as <login>', 'who acts')
      .option('--reason <text>', 'why')
      .action(async (id: string, item: string, o: { as?: string; reason?: string }) => {
        await app().act(id, 'untick', { item, reason: o.reason ?? '' }, o.as);
        app().out.result({ id, item, ticked: false }, () => `${id}: ${item} not done`);
      });
  },
};
