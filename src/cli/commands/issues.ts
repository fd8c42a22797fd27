import type { CommandModule } from './module.js';
import { renderTable } from '../../app/output.js';
import { searchLessons } from '../../core/lessons.js';

export const issueCommands: CommandModule = {
  register(program, app) {
    const issue = program.command('issue').description("the deployment's issue log");
    issue
      .command('open <id> <title>')
      .option('--as <login>', 'who acts')
      .option('--severity <level>', 'critical | major | minor', 'major')
      .action(async (id: string, title: string, o: { as?: string; severity: string }) => {
        const r = await app().act(id, 'issue-open', { title, severity: o.severity }, o.as);
        const n = r.issues.at(-1)!.id;
        app().out.result({ id, issue: n }, () => `${id}: issue #${n} opened`);
      });
    issue
      .command('resolve <id> <number>')
      .option('--as <login>', 'who acts')
      .requiredOption('--resolution <text>', 'how it was resolved')
      .action(async (id: string, n: string, o: { as?: string; resolution: string }) => {
        await app().act(id, 'issue-resolve', { id: Number(n), resolution: o.resolution }, o.as);
        app().out.result({ id, issue: Number(n), resolved: true }, () => `${id}: issue #${n} resolved`);
      });

    program
      .command('lesson <id> <text>')
      .description('document a lesson learned')
      .option('--as <login>', 'who acts')
      .option('--tags <list>', 'comma-separated tags')
      .action(async (id: string, text: string, o: { as?: string; tags?: string }) => {
        await app().act(
          id,
          'lesson',
          { text, tags: o.tags ? o.tags.split(',').map((t) => t.trim()) : [] },
          o.as,
        );
        app().out.result({ id }, () => `${id}: lesson recorded`);
      });
    program
      .command('lessons <query>')
      .description('search lessons learned across all deployments')
      .action(async (query: string) => {
        const hits = searchLessons(await (await app().store()).all(), query);
        app().out.result(hits, () =>
          hits.length === 0
            ? `no lesson matches "${query}"`
            : renderTable(
                ['DEPLOYMENT', 'WHEN', 'BY', 'TAGS', 'LESSON'],
                hits.map((h) => [h.deploymentId, h.at.slice(0, 10), h.by, h.tags.join(','), h.text]),
              ),
        );
      });
  },
};
