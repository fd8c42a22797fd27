import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import type { Secret } from '../core/secret.js';
import { targetError } from '../core/errors.js';
import { renderOptionFile } from '../escape/mycnf.js';

/** The Dolibarr database a migration writes into. The password is a Secret (never argv, never logs). */
export interface TargetDb {
  host: string;
  port: number;
  socket?: string;
  database: string;
  user: string;
  password: Secret;
  /** Dolibarr's table prefix ($dolibarr_main_db_prefix), 'llx_' by default. */
  prefix: string;
}

export type Db = mysql.Connection;

export async function connectTarget(t: TargetDb): Promise<Db> {
  try {
    return await mysql.createConnection({
      ...(t.socket ? { socketPath: t.socket } : { host: t.host, port: t.port }),
      user: t.user,
      password: t.password.reveal(),
      database: t.database,
      // Dates come back exactly as stored, so checksums compare text with text.
      dateStrings: true,
      supportBigNumbers: true,
      charset: 'utf8mb4',
      multipleStatements: false,
    });
  } catch (e) {
    throw targetError(`cannot connect to the database ${t.database} on ${t.socket ?? `${t.host}:${t.port}`}: ${(e as Error).message}`, {
      fix: 'check the target in the migration file and the secret holding the password',
    });
  }
}

/**
 * A MariaDB client options file with mode 0600 for mariadb-dump: the password goes there,
 * never into argv (STYLE.md 2). The caller removes it with the returned function.
 */
export function writeDefaultsFile(t: TargetDb): { path: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'moko-migrate-'));
  const path = join(dir, 'client.cnf');
  // every value escaped (src/escape/mycnf.ts): a newline in user= cannot add --result-file or init-command
  const options: [string, string][] = [['user', t.user], ['password', t.password.reveal()]];
  if (t.socket) options.push(['socket', t.socket]);
  else options.push(['host', t.host], ['port', String(t.port)], ['protocol', 'tcp']);
  writeFileSync(path, renderOptionFile('client', options), { mode: 0o600 });
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `llx_` + `societe`, checked to be a plain identifier before it is ever put into SQL. */
export function tableName(t: Pick<TargetDb, 'prefix'>, table: string): string {
  const name = `${t.prefix}${table}`;
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw targetError(`"${name}" is not a table name`);
  return name;
}
