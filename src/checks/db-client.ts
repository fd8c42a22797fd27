import type { Command } from '../hosts/host.js';
import type { CheckContext } from './finding.js';
import { ask, type ProbeRequest } from './probe.js';
import { redact } from '../core/secret.js';
import { renderOptionFile } from '../escape/mycnf.js';

/**
 * Ask the database server on the target with the mariadb/mysql client. As root over the socket
 * (unix_socket auth, the Debian default) unless the plan names an admin account; its password
 * goes in an option file on stdin, never argv.
 */
export function sqlCommand(ctx: CheckContext, sql: string): Command {
  const db = ctx.plan.database;
  const client = db.type === 'mysql' ? 'mysql' : 'mariadb';
  const password = db.admin?.password ? ctx.secret?.(db.admin.password.secret) : undefined;
  const where = db.socket
    ? ['--protocol=socket', `--socket=${db.socket}`]
    : ['--protocol=tcp', `--host=${db.host}`, `--port=${db.port}`];
  const account = db.admin ? [`--user=${db.admin.user}`] : ['--user=root'];
  const args = [...where, ...account, '--batch', '--skip-column-names', '--connect-timeout=5', '-e', sql];
  // the client cannot open /dev/stdin when it is a socket (Node, sshd): `cat |` makes it a pipe
  const viaPipe = ['sh', '-c', 'cat | "$0" "$@"', client, '--defaults-extra-file=/dev/stdin'];
  return {
    argv: password ? [...viaPipe, ...args] : [client, ...args],
    // escaped for the option file (src/escape/mycnf.ts): a # or newline in the password stays in the password
    stdin: password ? renderOptionFile('client', [['password', password.reveal()]]) : undefined,
    sudo: !db.admin,
  };
}

/** What the database checks ask, by part; each part's statements run in this order in one client. */
export type DbPart = 'version' | 'charset' | 'access';
const parts: DbPart[] = ['version', 'charset', 'access'];

function statements(ctx: CheckContext): Record<DbPart, string[]> {
  const collation = ctx.policy.environment.server.database.collation.replace(/'/g, '');
  return {
    version: ['SELECT VERSION()'],
    charset: [
      `SELECT COLLATION_NAME, CHARACTER_SET_NAME FROM information_schema.COLLATIONS WHERE COLLATION_NAME = '${collation}'`,
      'SELECT @@character_set_server, @@collation_server',
    ],
    access: [
      "SELECT 'bind', IFNULL(@@bind_address, ''), @@skip_networking",
      "SELECT 'root', user, host FROM mysql.user WHERE user = 'root' AND host NOT IN ('localhost', '127.0.0.1', '::1')",
      "SELECT 'anon', user, host FROM mysql.user WHERE user = ''",
    ],
  };
}

const endOf = (part: DbPart) => `moko-end-${part}`;

/**
 * One client run for every database check: each part's statements, then a row marking its end.
 * The client stops at the first error, so a part without its end row did not (fully) answer.
 */
export function databaseProbe(ctx: CheckContext): ProbeRequest {
  const all = statements(ctx);
  const sql = parts.flatMap((p) => [...all[p], `SELECT '${endOf(p)}'`]).join('; ');
  return { command: sqlCommand(ctx, sql), okCodes: [0, 1] };
}

export type SqlRows = { ok: true; rows: string[][] } | { ok: false; reason: string; down: boolean };

const serverDown = (text: string) => /ERROR 200[23]|Can't connect/.test(text);

/** The rows of one part, or why not; `down` when the server itself cannot be reached (a fail, not an unknown). */
export async function querySql(ctx: CheckContext, part: DbPart): Promise<SqlRows> {
  const p = await ask(ctx, databaseProbe(ctx));
  if (!p.ok) return { ok: false, reason: p.reason, down: serverDown(p.reason) };
  const lines = p.stdout.split('\n').filter((l) => l !== '');
  const end = lines.indexOf(endOf(part));
  if (end < 0) {
    const error = p.stderr.trim().split('\n')[0]?.slice(0, 300) || `exit ${p.code}, no answer`;
    return {
      ok: false,
      reason: redact(`the database client on ${ctx.host.name} did not answer the ${part} query: ${error}`),
      down: serverDown(p.stderr),
    };
  }
  const previous = parts.slice(0, parts.indexOf(part)).map((q) => lines.indexOf(endOf(q)));
  const start = previous.length > 0 ? Math.max(...previous) + 1 : 0;
  return { ok: true, rows: lines.slice(start, end).map((l) => l.split('\t')) };
}

export const dbLabel = (ctx: CheckContext) => {
  const db = ctx.plan.database;
  return db.socket ? `socket ${db.socket}` : `${db.host}:${db.port}`;
};
