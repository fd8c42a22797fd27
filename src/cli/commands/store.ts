import type { CommandModule } from './module.js';
import { migrateStore } from '../../app/store-migrate.js';

export const storeCommands: CommandModule = {
  register(program, app) {
    const store = program.command('store').description('the store of records and the audit trail');
    store
      .command('migrate')
      .description(
        'copy a whole store (records, revisions, evidence references, outbox, the signed audit chain) into a new PostgreSQL store, checked on both sides; with --evidence-to, move the evidence files too (each checked by its sha256)',
      )
      .option('--from <store>', 'the store to copy: sqlite:PATH or postgres://USER@HOST:PORT/DB')
      .option('--to <store>', 'an empty PostgreSQL database: postgres://USER@HOST:PORT/DB')
      .option(
        '--evidence-to <location>',
        'copy every evidence file of --evidence-store (default <home>/evidence) to s3://BUCKET/PREFIX?endpoint=URL or a directory',
      )
      .action(async (o: { from?: string; to?: string; evidenceTo?: string }) => {
        const a = app();
        const r = await migrateStore(a, o);
        a.out.result(r, () => {
          const lines: string[] = [];
          if (r.evidence)
            lines.push(
              `evidence: ${r.evidence.checked} files checked by sha256 in ${r.evidence.to} (${r.evidence.copied} copied from ${r.evidence.from})`,
            );
          if ('from' in r)
            lines.unshift(
              `copied ${r.from} -> ${r.to}: ${r.deployments} deployments, ${r.entries} audit entries (head ${r.head.slice(0, 16)}), ${r.messages} outbox messages`,
              `audit trail intact on the new store; ${r.evidenceFiles} evidence files referenced, in ${r.evidenceDir}${r.evidenceMissing.length ? ` (${r.evidenceMissing.length} missing there: ${r.evidenceMissing.join(', ')})` : ''}`,
              `use it with --store ${r.to} or MOKODEPLOY_STORE=${r.to}`,
            );
          return lines.join('\n');
        });
      });
  },
};
