import type { CommandModule } from './module.js';
import { notFound } from '../../core/errors.js';
import { renderTable } from '../../app/output.js';
import { statusView } from '../../core/views.js';
import { describeRecord } from '../render/record.js';
import type { AppContext } from '../../app/context.js';

export async function loadRecord(app: AppContext, id: string) {
  const found = await (await app.store()).get(id);
  if (!found) throw notFound(`no deployment ${id}`, { fix: 'list them with: mokodeploy list' });
  return found;
}

export const recordCommands: CommandModule = {
  register(program, app) {
    program
      .command('list')
      .description('deployments, newest change first')
      .option('--client <client>', 'only this client')
      .option('--state <state>', 'only this state')
      .action(async (o: { client?: string; state?: string }) => {
        const rows = (await (await app().store()).list()).filter(
          (d) => (!o.client || d.client === o.client) && (!o.state || d.state === o.state),
        );
        app().out.result(rows, () =>
          rows.length === 0
            ? 'no deployments'
            : renderTable(
                ['ID', 'CLIENT', 'KIND', 'ENV', 'STATE', 'UPDATED'],
                rows.map((d) => [d.id, d.client, d.kind, d.environment, d.state, d.updatedAt]),
              ),
        );
      });
    program
      .command('show <id>')
      .description('the whole deployment record')
      .action(async (id: string) => {
        const { record, revision } = await loadRecord(app(), id);
        app().out.result({ ...record, revision }, () => describeRecord(record, app().policy()));
      });
    program
      .command('status <id>')
      .description('the state, and the gates still open for each next state')
      .action(async (id: string) => {
        const a = app();
        const { record } = await loadRecord(a, id);
        const status = statusView(record, { policy: a.policy(), now: a.now() });
        const next = status.next;
        a.out.result(status, () =>
          [
            `${id}: ${record.state}`,
            ...next.map((n) =>
              n.open.length === 0
                ? `  -> ${n.to}: no gate open`
                : [
                    `  -> ${n.to}: ${n.open.length} gate(s) open`,
                    ...n.open.map((g) => `       [${g.gate}] ${g.message} -> ${g.fix}`),
                  ].join('\n'),
            ),
          ].join('\n'),
        );
      });
  },
};
