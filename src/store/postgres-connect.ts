import { inputError, targetError, type MokoError } from '../core/errors.js';
import { Secret } from '../core/secret.js';

/** Advisory lock keys (two int4): every write holds the first, opening a new store the second. */
const mokodeploy = 0x6d6f6b6f; // "moko"
export const writeLockKey: [number, number] = [mokodeploy, 1];
export const migrationLockKey: [number, number] = [mokodeploy, 2];

export const isPostgresUrl = (text: string): boolean => /^postgres(ql)?:\/\//i.test(text);

/**
 * A PostgreSQL store URL, checked, with its password registered for redaction (secret.ts) so no message or log
 * line can carry it, and `location`: the same URL without the password, fit to print and to name the store by.
 * Better still, give no password in the URL: PGPASSWORD or ~/.pgpass (both read by `pg`).
 */
export function parsePostgresUrl(text: string, where: string): { url: string; location: string } {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw inputError('not a PostgreSQL URL', {
      where,
      fix: 'write it as postgres://USER@HOST:PORT/DATABASE (password by PGPASSWORD or ~/.pgpass)',
    });
  }
  if (u.password) {
    new Secret(u.password);
    new Secret(decodeURIComponent(u.password));
  }
  const bare = new URL(text);
  bare.password = '';
  if (!bare.pathname || bare.pathname === '/')
    throw inputError(`the PostgreSQL URL ${bare.toString()} names no database`, {
      where,
      fix: 'add the database: postgres://USER@HOST:PORT/DATABASE',
    });
  return { url: text, location: bare.toString() };
}

/** The server did not let us in: said with the URL without its password, and what to check. */
export function storeUnreachable(location: string, e: unknown): MokoError {
  const err = e as { code?: string; message?: string };
  return targetError(`cannot open the PostgreSQL store: ${err.message ?? String(e)}`, {
    where: location,
    fix:
      err.code === '28P01' || err.code === '28000'
        ? 'check the user and its password (PGPASSWORD or ~/.pgpass) and pg_hba.conf'
        : err.code === '3D000'
          ? 'create the database first (createdb), or name an existing one'
          : 'check that the server runs and the host and port of --store / MOKODEPLOY_STORE',
  });
}

/** The server went away during a command (shut down, network): said as such, not as a bug. */
export function lostConnection(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08003', '08006'].includes(
      err.code ?? '',
    ) || /Connection terminated/i.test(err.message ?? '')
  );
}
