import { dirname, join, resolve } from 'node:path';
import { anchorFileFor } from '../audit/anchor.js';
import { signerForStore } from '../audit/store-key.js';
import { readOrCreateAuditSigner, type AuditSigner } from '../audit/signing-key.js';
import { sha256Hex } from '../core/canonical.js';
import { inputError } from '../core/errors.js';
import type { Notifier } from '../notify/message.js';
import type { Store } from './store.js';
import { SqliteStore } from './sqlite.js';
import { isPostgresUrl, parsePostgresUrl } from './postgres-connect.js';
import { postgresSignerFor } from './postgres-key.js';

export interface OpenStoreOptions {
  /**
   * The audit signing key file: the store signs every entry with it (created on first use, refused when it is not
   * the store's own key) and this machine keeps the trail's anchor beside it. Without it nothing is signed (tests).
   */
  auditKeyFile?: string;
  /** Loads the signer from `auditKeyFile` (default: read it, or create it). */
  loadSigner?: () => AuditSigner;
  /** The messages an entry causes (src/notify), queued in the entry's transaction. */
  notify?: Notifier;
  /** For messages: where the store was named (`--store`, MOKODEPLOY_STORE). */
  where?: string;
}

/** Which store a name means: a PostgreSQL URL, or `sqlite:PATH` / a plain path for the embedded SQLite file. */
export function storeKind(where: string): 'postgres' | 'sqlite' {
  return isPostgresUrl(where) ? 'postgres' : 'sqlite';
}

export function sqlitePathOf(where: string): string {
  return resolve(where.startsWith('sqlite:') ? where.slice('sqlite:'.length) : where);
}

/**
 * Open the store `where` names (issue 20): `postgres://USER@HOST:PORT/DB` for the store a team shares, else the
 * SQLite file (`sqlite:PATH` or PATH). Every process that acts on records (CLI, server, worker) opens it here.
 */
export async function openStore(where: string, opts: OpenStoreOptions = {}): Promise<Store> {
  const keyFile = opts.auditKeyFile;
  const load = opts.loadSigner ?? (keyFile ? () => readOrCreateAuditSigner(keyFile) : undefined);
  if (storeKind(where) === 'postgres') {
    const { url, location } = parsePostgresUrl(where, opts.where ?? 'the store URL');
    // loaded here: `pg` costs every command that uses the SQLite store ~70 ms of CPU at startup
    const { PostgresStore } = await import('./postgres.js');
    return PostgresStore.open(url, {
      location,
      notify: opts.notify,
      anchorFile: keyFile ? postgresAnchorFile(location, keyFile) : undefined,
      signerFor: keyFile && load ? postgresSignerFor(keyFile, load) : undefined,
    });
  }
  const path = sqlitePathOf(where);
  if (where.startsWith('sqlite:') && path === resolve(''))
    throw inputError('sqlite: names no file', { where: opts.where, fix: 'write sqlite:PATH' });
  return new SqliteStore(path, {
    signer: keyFile && load ? signerForStore(path, keyFile, load) : undefined, // refuses a key not the store's
    anchorFile: keyFile ? anchorFileFor(path, keyFile) : undefined,
    notify: opts.notify,
  });
}

/** This machine's anchor of a PostgreSQL store: beside the audit key, named by the URL without its password. */
export function postgresAnchorFile(location: string, auditKeyFile: string): string {
  return join(dirname(resolve(auditKeyFile)), 'anchors', `${sha256Hex(location).slice(0, 24)}.json`);
}

export const defaultStorePath = (home: string): string => join(home, 'mokodeploy.sqlite');
