import { writeFileSync } from 'node:fs';
import type { CommandModule } from './module.js';
import { verifyChain } from '../../audit/verify.js';
import { SqliteStore } from '../../store/sqlite.js';

export const auditCommands: CommandModule = {
  register(program, app) {
    const audit = program.command('audit').description('the hash-chained audit trail');
    audit
      .command('verify')
      .description('check the chain: names any entry edited, deleted, inserted or reordered')
      .action(async () => {
        const store = await app().store();
        const entries = await store.auditEntries();
        const anchor = store instanceof SqliteStore ? store.readAnchor() : undefined;
        const problems = verifyChain(entries, anchor);
        app().out.result({ ok: problems.length === 0, entries: entries.length, problems }, () =>
          problems.length === 0
            ? `audit trail intact: ${entries.length} entries, head ${entries.at(-1)?.hash.slice(0, 16) ?? '-'}`
            : [
                `audit trail BROKEN: ${problems.length} problem(s) in ${entries.length} entries`,
                ...problems.map((p) => `  ${p.message}`),
              ].join('\n'),
        );
        if (problems.length > 0) process.exitCode = 1;
      });
    audit
      .command('export')
      .description('write the audit trail as JSON lines')
      .option('--out <file>', 'file to write (default: standard output)')
      .option('--deployment <id>', 'only this deployment')
      .action(async (o: { out?: string; deployment?: string }) => {
        const entries = (await (await app().store()).auditEntries()).filter(
          (e) => !o.deployment || e.deploymentId === o.deployment,
        );
        const text = entries.map((e) => JSON.stringify(e)).join('\n') + (entries.length ? '\n' : '');
        if (o.out) {
          writeFileSync(o.out, text);
          app().out.line(`wrote ${entries.length} entries to ${o.out}`);
        } else process.stdout.write(text);
      });
  },
};
