import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { CommandModule } from './module.js';
import { evidenceFrom, withEvidenceOptions } from './evidence-options.js';
import { inputError } from '../../core/errors.js';

export const runRecordCommands: CommandModule = {
  register(program, app) {
    withEvidenceOptions(
      program
        .command('run-record <id>')
        .description(
          'record a deployment run carried out outside the tool, with its evidence (a console log, a link)',
        )
        .option('--as <login>', 'who acts')
        .requiredOption('--started <iso>', 'when it started')
        .requiredOption('--finished <iso>', 'when it finished')
        .option('--downtime <seconds>', 'measured downtime'),
    ).action(
      async (
        id: string,
        o: {
          as?: string;
          started: string;
          finished: string;
          downtime?: string;
          evidence?: string[];
          file?: string[];
          link?: string[];
        },
      ) => {
        const a = app();
        await a.actor(o.as);
        const r = await a.act(
          id,
          'record-run',
          {
            startedAt: o.started,
            finishedAt: o.finished,
            downtimeSeconds: o.downtime === undefined ? undefined : Number(o.downtime),
            evidence: await evidenceFrom(a, o),
          },
          o.as,
        );
        a.out.result({ id, state: r.state }, () => `${id}: ${r.state}`);
      },
    );
    program
      .command('verification-record <id> <results>')
      .description('record verification results done by hand (YAML/JSON list of {id, status, observed})')
      .option('--as <login>', 'who acts')
      .action(async (id: string, file: string, o: { as?: string }) => {
        let results: unknown;
        try {
          results = parse(readFileSync(file, 'utf8'));
        } catch (e) {
          throw inputError(`cannot read the results: ${(e as Error).message}`, {
            where: file,
            fix: 'a YAML list of {id: verify.login, status: pass, observed: "..."}',
          });
        }
        const r = await app().act(id, 'record-verification', { source: 'manual', results }, o.as);
        const v = r.verifications.at(-1)!;
        app().out.result(
          { id, state: r.state, passed: v.passed },
          () => `${id}: verification ${v.passed ? 'passed' : 'FAILED'}; ${r.state}`,
        );
      });
  },
};
