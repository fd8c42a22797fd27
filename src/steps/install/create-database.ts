import { Secret } from '../../core/secret.js';
import { renderOptionFile } from '../../escape/mycnf.js';
import type { Command } from '../../hosts/host.js';
import type { Plan } from '../../core/plan.js';
import type { Action, Step, StepContext } from '../step.js';
import { layoutOf, secretOf } from './context.js';

/**
 * Policy Phase 2 step 2 "Configure database": CREATE DATABASE ... utf8mb4 / utf8mb4_unicode_ci (policy
 * environment.server.database), a user with a generated password, GRANT ALL on that database only.
 * The SQL goes to `mariadb` through stdin; the admin password (when the plan names one) through a 0600
 * option file removed afterwards. Re-running converges: IF NOT EXISTS + ALTER USER to the stored password.
 */

/** Host part of the account: what the server sees when Dolibarr connects (socket = localhost). */
export function accountHost(dbHost: string): string {
  if (dbHost === 'localhost' || dbHost === '127.0.0.1' || dbHost === '::1') return dbHost;
  return '%';
}

const sqlString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const sqlIdent = (s: string) => `\`${s.replace(/`/g, '``')}\``;

export function createDatabaseSql(plan: Plan, password: Secret, charset: string, collation: string): Secret {
  const db = plan.database;
  const account = `${sqlString(db.user)}@${sqlString(accountHost(db.host))}`;
  return new Secret(
    [
      `CREATE DATABASE IF NOT EXISTS ${sqlIdent(db.name)} CHARACTER SET ${charset} COLLATE ${collation};`,
      `ALTER DATABASE ${sqlIdent(db.name)} CHARACTER SET ${charset} COLLATE ${collation};`,
      `CREATE USER IF NOT EXISTS ${account} IDENTIFIED BY ${sqlString(password.reveal())};`,
      `ALTER USER ${account} IDENTIFIED BY ${sqlString(password.reveal())};`,
      `GRANT ALL PRIVILEGES ON ${sqlIdent(db.name)}.* TO ${account};`,
      'FLUSH PRIVILEGES;',
      '',
    ].join('\n'),
  );
}

/** The mariadb client argv for an administrative connection (no password in it). */
export function adminClientArgv(plan: Plan, optionFile?: string): string[] {
  const db = plan.database;
  const argv = ['mariadb'];
  if (optionFile) argv.push(`--defaults-extra-file=${optionFile}`);
  if (db.socket) argv.push(`--socket=${db.socket}`);
  else if (db.host !== 'localhost') argv.push(`--host=${db.host}`, `--port=${db.port}`);
  if (!optionFile && db.admin) argv.push(`--user=${db.admin.user}`);
  argv.push('--batch');
  return argv;
}

export function adminOptionFilePath(ctx: StepContext): string {
  return `${layoutOf(ctx).sharedConfDir}/.db-admin.cnf`;
}

export function adminConnection(ctx: StepContext): { before: Action[]; client: string[]; after: Action[] } {
  const admin = ctx.plan.database.admin;
  if (!admin?.password) return { before: [], client: adminClientArgv(ctx.plan), after: [] };
  const file = adminOptionFilePath(ctx);
  const pass = secretOf(ctx, admin.password.secret).reveal();
  return {
    before: [
      {
        kind: 'write',
        description: 'database admin option file (0600, removed after use)',
        file: {
          path: file,
          // escaped (src/escape/mycnf.ts): a newline in the user cannot add an option such as init-command
          content: new Secret(renderOptionFile('client', [['user', admin.user], ['password', pass]])),
          mode: 0o600,
          owner: 'root',
          group: 'root',
        },
      },
    ],
    client: adminClientArgv(ctx.plan, file),
    after: [
      {
        kind: 'run',
        description: 'remove the admin option file',
        command: { sudo: true, argv: ['rm', '-f', file] },
      },
    ],
  };
}

export const createDatabase: Step = {
  id: 'install:database',
  title: 'Create the database and its user (utf8mb4)',
  policyRef: 'deploy.phase2.configure-database',
  plan(ctx) {
    const { charset, collation } = ctx.policy.environment.server.database;
    const password = secretOf(ctx, ctx.plan.database.password.secret);
    const conn = adminConnection(ctx);
    const command: Command = {
      sudo: true, // root over the socket (unix_socket auth) or the root-only option file
      argv: conn.client,
      stdin: createDatabaseSql(ctx.plan, password, charset, collation),
    };
    return [
      ...conn.before,
      {
        kind: 'run',
        description: `create database ${ctx.plan.database.name} and user ${ctx.plan.database.user}`,
        command,
      },
      ...conn.after,
    ];
  },
};
