import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CommandModule } from './module.js';
import { readPlanFile } from '../plan-file.js';
import { recordPlan } from '../../app/record-plan.js';
import { planJsonSchema } from '../../core/plan.js';
import { refused } from '../../core/errors.js';
import { renderPlanTemplate, teamTemplate } from '../render/plan-template.js';

export const planCommands: CommandModule = {
  register(program, app) {
    program
      .command('init <client>')
      .description('write plans/<client>.yaml (and team.yaml when missing) to start a deployment plan')
      .option('--out <file>', 'where to write the plan')
      .option('--force', 'overwrite an existing plan file')
      .action((client: string, o: { out?: string; force?: boolean }) => {
        if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(client))
          throw refused(`"${client}" is not a client slug`, {
            fix: 'use lower-case letters, digits and dashes, e.g. acme',
          });
        const file = o.out ?? join('plans', `${client}.yaml`);
        if (existsSync(file) && !o.force)
          throw refused(`${file} exists`, { fix: 'edit it, or pass --force to overwrite it' });
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, renderPlanTemplate(client, app().now()));
        app().out.line(`wrote ${file}`);
        if (!existsSync('team.yaml') && !process.env.MOKODEPLOY_TEAM) {
          writeFileSync('team.yaml', teamTemplate);
          app().out.line('wrote team.yaml (edit it: the people and their roles)');
        }
        app().out.line(`next: edit ${file}, then  mokodeploy plan submit ${file} --as <technical lead>`);
      });

    const plan = program.command('plan').description('deployment plans');
    plan
      .command('schema')
      .description('print the JSON Schema of plan files (for editor completion)')
      .action(() => app().out.result(planJsonSchema(), () => JSON.stringify(planJsonSchema(), null, 2)));
    plan
      .command('check <file>')
      .description('validate a plan file and say every problem with file:line:column')
      .action((file: string) => {
        const { plan: p } = readPlanFile(file);
        app().out.result(
          { ok: true, client: p.client, kind: p.kind },
          () => `${file}: valid plan for ${p.client} (${p.kind}, ${p.environment})`,
        );
      });
    for (const [name, submit] of [
      ['submit', true],
      ['draft', false],
    ] as const) {
      plan
        .command(`${name} <file>`)
        .description(
          submit
            ? 'record a plan as a submitted deployment (technical lead)'
            : 'record a plan as a draft deployment',
        )
        .option('--as <login>', 'who acts')
        .action(async (file: string, o: { as?: string }) => {
          const a = app();
          const { plan: p, file: planFile } = readPlanFile(file);
          const { record, warnings } = await recordPlan(a, p, { as: o.as, submit, planFile });
          for (const w of warnings) a.out.warn(w);
          a.out.result({ id: record.id, state: record.state, planHash: record.planHash }, () =>
            [
              `${record.id}: ${record.state} (plan ${record.planHash.slice(0, 12)}, policy ${record.policyVersion})`,
              `next: a deployment manager other than ${record.author} runs  mokodeploy approve ${record.id}`,
            ].join('\n'),
          );
        });
    }
    plan
      .command('revise <id> <file>')
      .description('replace a deployment plan; an approved plan must be approved again')
      .option('--as <login>', 'who acts')
      .action(async (id: string, file: string, o: { as?: string }) => {
        const { plan: p, file: planFile } = readPlanFile(file);
        const r = await app().act(id, 'revise-plan', { plan: p, planFile }, o.as);
        app().out.result(
          { id, state: r.state, planHash: r.planHash },
          () => `${id}: ${r.state} (plan ${r.planHash.slice(0, 12)})`,
        );
      });
  },
};
