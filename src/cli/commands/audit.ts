import { readFileSync, writeFileSync } from 'node:fs';
import type { CommandModule } from './module.js';
import { checkTrail } from '../../audit/check-trail.js';
import { exportPublicKey, readAuditPublicKey } from '../../audit/signing-key.js';
import { parseSignedHead, signedHeadOf } from '../../audit/head.js';
import { inputError, refused } from '../../core/errors.js';
import type { AppContext } from '../../app/context.js';

function readHead(file: string) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw inputError(`cannot read the head file: ${(e as Error).message}`, {
      where: file,
      fix: 'give the file `audit export --head` wrote',
    });
  }
  return parseSignedHead(text, file);
}

/** The signed head of an intact trail, for an auditor to keep. */
async function exportHead(a: AppContext): Promise<string> {
  const store = await a.store();
  const status = await checkTrail(store, a.auditPublicKey());
  const anchor = store.readAnchor();
  const head = status.ok && anchor ? signedHeadOf(anchor, await store.auditEntries()) : undefined;
  if (!head)
    throw refused('the audit trail does not verify: no head is exported for it', {
      fix: 'run `mokodeploy audit verify`',
    });
  return `${JSON.stringify(head, null, 2)}\n`;
}

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
      .option(
        '--head <file>',
        'an earlier signed head (`audit export --head`): the trail must still contain it',
      )
      .action(async (o: { publicKey?: string; head?: string }) => {
        const a = app();
        const key = o.publicKey ? readAuditPublicKey(o.publicKey) : a.auditPublicKey();
        const head = o.head ? readHead(o.head) : undefined;
        const status = await checkTrail(await a.store(), key, { head });
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
      .option(
        '--head',
        "only the trail's signed head: an auditor's copy that proves a later rollback of the trail",
      )
      .action(async (o: { out?: string; deployment?: string; head?: boolean }) => {
        if (o.head) {
          const text = await exportHead(app());
          if (o.out) {
            writeFileSync(o.out, text);
            app().out.line(`wrote the signed head to ${o.out}`);
          } else process.stdout.write(text);
          return;
        }
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
