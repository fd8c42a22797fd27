import { readFileSync } from 'node:fs';
import type { CommandModule } from './module.js';
import { configuredQueueUrl } from '../../queue/url.js';
import { hashPassword, PasswordFile } from '../../server/passwords.js';
import { inputError } from '../../core/errors.js';
import type { AppContext } from '../../app/context.js';

/** The password from standard input (piped, or typed and ended with Enter), without its line end. */
async function readPasswordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('password (input is shown; pipe it in to avoid that): ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (process.stdin.isTTY && chunk.includes(10)) break;
  }
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

async function setPassword(a: AppContext, login: string): Promise<void> {
  const { team, file } = a.team();
  if (!team.people.some((p) => p.login === login)) {
    throw inputError(`"${login}" is not in the team file`, {
      where: file,
      fix: `add ${login} with their roles to ${file} first`,
    });
  }
  const password = await readPasswordFromStdin();
  if (password.length < 12)
    throw inputError('the password is shorter than 12 characters', {
      fix: 'choose a longer one (a passphrase of several words)',
    });
  const passwords = new PasswordFile(a.home);
  passwords.write(login, await hashPassword(password));
  a.out.result(
    { login, file: passwords.path },
    () => `password set for ${login} (scrypt hash in ${passwords.path})`,
  );
}

export const serveCommands: CommandModule = {
  register(program, app) {
    program
      .command('serve')
      .description('the web dashboard and JSON API: the same operations, gates, roles and audit as the CLI')
      .option('--port <n>', 'port', '8080')
      .option('--host <addr>', 'address to listen on', '127.0.0.1')
      .option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM)')
      .option('--tls-key <file>', 'and this key (PEM)')
      .option(
        '--session-key-file <file>',
        'key sealing session cookies (default ~/.config/mokodeploy/session.key)',
      )
      .action(
        async (o: {
          port: string;
          host: string;
          tlsCert?: string;
          tlsKey?: string;
          sessionKeyFile?: string;
        }) => {
          const a = app();
          if (Boolean(o.tlsCert) !== Boolean(o.tlsKey))
            throw inputError('give both --tls-cert and --tls-key, or neither');
          a.team(); // fail now, with the fix, when there is no team file
          const https =
            o.tlsCert && o.tlsKey
              ? { cert: readFileSync(o.tlsCert), key: readFileSync(o.tlsKey) }
              : undefined;
          // imported here so other commands do not pay for loading the web server
          const { buildServer } = await import('../../server/server.js');
          const server = await buildServer({
            app: a,
            https,
            sessionKeyFile: o.sessionKeyFile ?? process.env.MOKODEPLOY_SESSION_KEY_FILE,
            logger: true,
            // issue 20: the job queue beside a PostgreSQL store given by --store (or $MOKODEPLOY_QUEUE)
            queueUrl: configuredQueueUrl(process.env, program.opts<{ store?: string }>().store),
          });
          const url = await server.listen({ port: Number(o.port), host: o.host });
          a.out.line(`mokodeploy dashboard on ${url} (store ${a.home}); Ctrl-C stops it`);
          await new Promise<void>((done) => {
            const stop = () => void server.close().then(() => done());
            process.once('SIGINT', stop);
            process.once('SIGTERM', stop);
          });
        },
      );

    program
      .command('user')
      .description('dashboard users (the people of the team file)')
      .command('password <login>')
      .description('set the dashboard password of a person in the team file (read from standard input)')
      .action(async (login: string) => setPassword(app(), login));
  },
};
