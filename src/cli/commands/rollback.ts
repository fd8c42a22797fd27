import type { CommandModule } from './module.js';

export const rollbackCommands: CommandModule = {
  register(program, app) {
    program
      .command('rollback-record <id>')
      .description(
        'record a rollback that was carried out (trigger and reason, policy "Rollback Procedures")',
      )
      .option('--as <login>', 'who acts')
      .requiredOption(
        '--trigger <id>',
        'critical-functionality | data-integrity | security-vulnerability | performance | client-request',
      )
      .requiredOption('--reason <text>', 'what happened')
      .action(async (id: string, o: { as?: string; trigger: string; reason: string }) => {
        const r = await app().act(id, 'rollback', { trigger: o.trigger, reason: o.reason }, o.as);
        app().out.result(
          { id, state: r.state },
          () =>
            `${id}: ${r.state}\nnext: document the root cause: mokodeploy rollback-analysis ${id} --root-cause ... --remediation ...`,
        );
      });
    program
      .command('rollback-analysis <id>')
      .description('document the root cause and remediation of the last rollback')
      .option('--as <login>', 'who acts')
      .requiredOption('--root-cause <text>', 'root cause')
      .requiredOption('--remediation <text>', 'remediation plan')
      .action(async (id: string, o: { as?: string; rootCause: string; remediation: string }) => {
        await app().act(
          id,
          'rollback-analysis',
          { rootCause: o.rootCause, remediation: o.remediation },
          o.as,
        );
        app().out.result({ id }, () => `${id}: root cause documented`);
      });
  },
};
