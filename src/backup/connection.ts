import type { Plan } from '../core/plan.js';
import type { Action, StepContext } from '../steps/step.js';
import { adminConnection } from '../steps/install/create-database.js';

/**
 * The database connection backups and restores use: the administrative one of the install steps (root by
 * socket, or the plan's admin account through a 0600 option file written before and removed after), because a
 * test restore creates a scratch database. No password is ever in argv.
 */
export interface DbConnection {
  before: Action[];
  after: Action[];
  /** argv of `program` (mariadb or mariadb-dump) with the connection options, no database name. */
  argv(program: 'mariadb' | 'mariadb-dump'): string[];
}

export function dbConnection(ctx: StepContext): DbConnection {
  const admin = adminConnection(ctx);
  const optionFile = admin.client.find((a) => a.startsWith('--defaults-extra-file='));
  return {
    before: admin.before,
    after: admin.after,
    argv: (program) => clientArgv(ctx.plan, program, optionFile),
  };
}

function clientArgv(plan: Plan, program: string, optionFile?: string): string[] {
  const db = plan.database;
  const argv = [program];
  if (optionFile) argv.push(optionFile); // --defaults-extra-file must come first
  if (db.socket) argv.push(`--socket=${db.socket}`);
  else if (db.host !== 'localhost') argv.push(`--host=${db.host}`, `--port=${db.port}`);
  if (!optionFile && db.admin) argv.push(`--user=${db.admin.user}`);
  return argv;
}

/** A scratch database name for test restores and rehearsals: <name>_<suffix>, at most 64 characters. */
export function scratchDatabase(plan: Plan, suffix: string): string {
  return `${plan.database.name}_${suffix}`.slice(0, 64);
}
