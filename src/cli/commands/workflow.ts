import type { CommandModule } from './module.js';
import type { OperationName } from '../../core/operations/index.js';
import type { AppContext } from '../../app/context.js';

interface Simple {
  name: string;
  op: OperationName;
  description: string;
  options?: [flag: string, description: string][];
  input: (o: Record<string, string | undefined>) => Record<string, unknown>;
  /** What follows the operation on the target (close: the archives an upgrade by copy left, src/hypercare/). */
  after?: (a: AppContext, id: string, o: Record<string, string | undefined>) => Promise<unknown>;
}

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

/** Commands that only move a deployment through its states (DESIGN.md "The deployment record"). */
const simple: Simple[] = [
  {
    name: 'submit',
    op: 'submit',
    description: 'submit a draft deployment (technical lead)',
    options: [['--note <text>', 'note']],
    input: (o) => ({ note: o.note }),
  },
  {
    name: 'approve',
    op: 'approve',
    description: "approve the plan (deployment manager; never the plan's author)",
    options: [['--note <text>', 'note']],
    input: (o) => ({ note: o.note }),
  },
  {
    name: 'ready',
    op: 'ready',
    description: 'declare the deployment ready: checklist done, validation fresh and passing',
    options: [['--note <text>', 'note']],
    input: (o) => ({ note: o.note }),
  },
  {
    name: 'schedule',
    op: 'schedule',
    description: 'fix the deployment window the client approved (deployment manager)',
    options: [
      ['--client-approved-by <name>', 'the client person who approved the timing'],
      ['--start <iso>', 'window start (default: the plan)'],
      ['--end <iso>', 'window end'],
    ],
    input: (o) => ({ clientApprovedBy: o.clientApprovedBy ?? '', start: o.start, end: o.end }),
  },
  {
    name: 'window-exception',
    op: 'window-exception',
    description:
      'allow work outside the approved window: a new window or an emergency, with the reason (deployment manager; audited)',
    options: [
      ['--reason <text>', 'why'],
      ['--start <iso>', 'the new window start'],
      ['--end <iso>', 'the new window end'],
      ['--emergency', `an emergency: allowed now, for the policy's emergency hours`],
    ],
    input: (o) => ({ reason: o.reason ?? '', emergency: Boolean(o.emergency), start: o.start, end: o.end }),
  },
  {
    name: 'golive',
    op: 'go-live',
    description: 'authorise go-live once all sign-offs are given; hypercare starts (deployment manager)',
    options: [['--hypercare-days <n>', 'hypercare length']],
    input: (o) => ({ hypercareDays: num(o.hypercareDays) }),
  },
  {
    name: 'close',
    op: 'close',
    description: 'close the deployment after hypercare (deployment manager)',
    options: [['--note <text>', 'note']],
    input: (o) => ({ note: o.note }),
    // hypercare has ended (the close gate): archives of an upgrade by copy may go (loaded only here: target access)
    after: async (a, id, o) =>
      (await import('../../hypercare/prune-archives.js')).pruneArchivesAtHypercareEnd(a, id, { as: o.as }),
  },
  {
    name: 'cancel',
    op: 'cancel',
    description: 'cancel a deployment that has not started (deployment manager)',
    options: [['--reason <text>', 'why']],
    input: (o) => ({ reason: o.reason ?? '' }),
  },
  {
    name: 'retry',
    op: 'retry',
    description: 'open a new attempt after a rollback, once its root cause is documented',
    options: [['--note <text>', 'note']],
    input: (o) => ({ note: o.note }),
  },
];

export const workflowCommands: CommandModule = {
  register(program, app) {
    for (const s of simple) {
      const cmd = program
        .command(`${s.name} <id>`)
        .description(s.description)
        .option('--as <login>', 'who acts');
      for (const [flag, desc] of s.options ?? []) cmd.option(flag, desc);
      cmd.action(async (id: string, o: Record<string, string | undefined>) => {
        const r = await app().act(id, s.op, s.input(o), o.as);
        app().out.result({ id, state: r.state }, () => `${id}: ${r.state}`);
        await s.after?.(app(), id, o);
      });
    }
  },
};
