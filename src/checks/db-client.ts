import type { Command } from '../hosts/host.js';
import type { CheckContext } from './finding.js';
import { ask, type ProbeRequest } from './probe.js';

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
    stdin: password ? `[client]\npassword=${password.reveal()}\n` : undefined,
    sudo: !db.admin,
  };
}

export const sqlProbe = (ctx: CheckContext, sql: string): ProbeRequest => ({ command: sqlCommand(ctx, sql) });

export type SqlRows = { ok: true; rows: string[][] } | { ok: false; reason: string; down: boolean };

/** Rows of a query, or why not; `down` when the server itself cannot be reached (a fail, not an unknown). */
export async function querySql(ctx: CheckContext, sql: string): Promise<SqlRows> {
  const p = await ask(ctx, sqlProbe(ctx, sql));
  if (!p.ok) return { ok: false, reason: p.reason, down: /ERROR 200[23]|Can't connect/.test(p.reason) };
  return {
    ok: true,
    rows: p.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split('\t')),
  };
}

export const dbLabel = (ctx: CheckContext) => {
  const db = ctx.plan.database;
  return db.socket ? `socket ${db.socket}` : `${db.host}:${db.port}`;
};
