import type { CommandModule } from './module.js';
import { migrateStore } from '../../app/store-migrate.js';

export const storeCommands: CommandModule = {
  register(program, app) {
    const store = program.command('store').description('the store of records and the audit trail');
    store
      .command('migrate')
      .description(
        'copy a whole store (records, revisions, evidence references, outbox, the signed audit chain) into a new PostgreSQL store, checked on both sides',
      )
      .requiredOption('--from <store>', 'the store to copy: sqlite:PATH or postgres://USER@HOST:PORT/DB')
      .requiredOption('--to <store>', 'an empty PostgreSQL database: postgres://USER@HOST:PORT/DB')
      .action(async (o: { from: string; to: string }) => {
        const a = app();
        const r = await migrateStore(a, o.from, o.to);
        a.out.result(r, () =>
          [
            `copied ${r.from} -> ${r.to}: ${r.deployments} deployments, ${r.entries} audit entries (head ${r.head.slice(0, 16)}), ${r.messages} outbox messages`,
            `audit trail intact on the new store; ${r.evidenceFiles} evidence files referenced stay in ${r.evidenceDir}${r.evidenceMissing.length ? ` (${r.evidenceMissing.length} missing there: ${r.evidenceMissing.join(', ')})` : ''}`,
            `use it with --store ${r.to} or MOKODEPLOY_STORE=${r.to}`,
          ].join('\n'),
        );
      });
  },
};
