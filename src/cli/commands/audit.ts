import { writeFileSync } from 'node:fs';
import type { CommandModule } from './module.js';
import { checkTrail } from '../../audit/check-trail.js';
import { exportPublicKey, readAuditPublicKey } from '../../audit/signing-key.js';

export const auditCommands: CommandModule = {
  register(program, app) {
    const audit = program.command('audit').description('the hash-chained, signed audit trail');
    audit
      .command('verify')
      .description(
        'check the chain and its signatures: names any entry edited, deleted, inserted, reordered or re-signed',
      )
      .option(
        '--public-key <pem>',
        'check with this public key (from `audit public-key`) instead of the local signing key',
      )
      .action(async (o: { publicKey?: string }) => {
        const a = app();
        const key = o.publicKey ? readAuditPublicKey(o.publicKey) : a.auditPublicKey();
        const status = await checkTrail(await a.store(), key);
        const { problems, entries } = status;
        a.out.result(status, () =>
          problems.length === 0
            ? `audit trail intact: ${entries} entries, signed, head ${status.head?.slice(0, 16) ?? '-'}`
            : [
                `audit trail BROKEN: ${problems.length} problem(s) in ${entries} entries`,
                ...problems.map((p) => `  ${p.message}`),
              ].join('\n'),
        );
        if (problems.length > 0) process.exitCode = 1;
      });
    audit
      .command('public-key')
      .description('print the public key that verifies the trail (give it to an auditor: it cannot sign)')
      .action(() => {
        process.stdout.write(exportPublicKey(app().auditPublicKey()));
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
