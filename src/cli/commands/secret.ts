import type { CommandModule } from './module.js';
import { SecretStore } from '../../store/secrets.js';
import { Secret } from '../../core/secret.js';
import { refused } from '../../core/errors.js';
import { readSecret } from './secret-get.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

const nameRule = /^[a-z0-9][a-z0-9/_-]*$/;

export const secretCommands: CommandModule = {
  register(program, app) {
    const secret = program
      .command('secret')
      .description('secrets named by plans, encrypted at rest (values never in argv or output)');
    secret
      .command('set <name>')
      .description('store a secret read from standard input')
      .action(async (name: string) => {
        if (!nameRule.test(name))
          throw refused(`"${name}" is not a secret name`, { fix: 'use a name like acme/db' });
        if (process.stdin.isTTY)
          throw refused('the value is read from standard input', {
            fix: `pipe it: printf %s "$VALUE" | mokodeploy secret set ${name}`,
          });
        const value = await readStdin();
        if (value.length === 0) throw refused('the value on standard input is empty');
        new SecretStore(app().home).set(name, new Secret(value));
        app().out.result({ name, stored: true }, () => `secret ${name} stored`);
      });
    secret
      .command('generate <name>')
      .description('generate a secret with the CSPRNG unless it exists')
      .option('--length <n>', 'length', '32')
      .action((name: string, o: { length: string }) => {
        if (!nameRule.test(name))
          throw refused(`"${name}" is not a secret name`, { fix: 'use a name like acme/db' });
        const store = new SecretStore(app().home);
        const existed = store.has(name);
        store.getOrGenerate(name, Number(o.length));
        app().out.result({ name, generated: !existed }, () =>
          existed ? `secret ${name} exists; kept` : `secret ${name} generated`,
        );
      });
    secret
      .command('get <name>')
      .description(
        'show a stored secret (technical lead or deployment manager; audited): on a terminal, or into a new 0600 file with --out',
      )
      .option('--out <file>', 'write the value to this new file (mode 0600) instead of the terminal')
      .option('--as <login>', 'who reads it')
      .action((name: string, o: { out?: string; as?: string }) => readSecret(app(), name, o));
    secret
      .command('list')
      .description('the names of stored secrets')
      .action(() => {
        const names = new SecretStore(app().home).names();
        app().out.result(names, () => names.join('\n') || 'no secrets');
      });
  },
};
