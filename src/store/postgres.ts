import pg from 'pg';
import type { DeploymentRecord } from '../core/record.js';
import { conflict, MokoError, notFound, refused } from '../core/errors.js';
import { hashRecordDoc, type AuditDraft, type AuditEntry, type RecordBinding } from '../audit/entry.js';
import { anchorMessage, type Anchor } from '../audit/verify.js';
import { readAnchorFile, writeAnchorForward } from '../audit/anchor.js';
import type { AuditSigner } from '../audit/signing-key.js';
import type { Delivery, Notifier, OutboxMessage } from '../notify/message.js';
import type { DeploymentSummary, Mutation, Store } from './store.js';
import { entryOf, selectRows, type AuditRow, type StoredRow } from './rows.js';
import { auditColumns, auditValues, nextEntry, type ChainHead } from './append.js';
import { behindAnchorOf, bindingProblemsOf } from './binding.js';
import { claimOutbox, insertOutbox, listOutbox, settleOutbox } from './postgres-outbox.js';
import type { ClaimOptions } from './outbox-rows.js';
import { migratePostgres } from './postgres-migrate.js';
import { dumpPostgres, importDump, quotedAliases } from './postgres-import.js';
import { bindingFacts } from './postgres-binding.js';
import type { StoreDump } from './dump.js';
import { lostConnection, storeUnreachable, writeLockKey } from './postgres-connect.js';

type Db = pg.PoolClient;

export interface PostgresStoreOptions {
  /** The URL without its password, for messages. */
  location: string;
  signer?: AuditSigner;
  /** Chooses the signer once the store is open and migrated (open.ts checks it is the store's own key). */
  signerFor?: (store: PostgresStore) => Promise<AuditSigner | undefined>;
  /** Where this machine keeps the trail's signed head (anchor.ts). */
  anchorFile?: string;
  notify?: Notifier;
  /** Seconds a writer waits for another one's lock before it says so (the SQLite store waits 5 s). */
  lockTimeoutMs?: number;
  poolSize?: number;
}

/**
 * The store a team shares (issue 20): the SQLite store's tables in PostgreSQL, so several people and workers on
 * several machines act on the same records. Every write is one transaction that first takes one advisory lock
 * (`writeLockKey`): writers queue as SQLite's BEGIN IMMEDIATE makes them queue, so the change sees the newest
 * record, the chain gets exactly one next entry (never a fork: prev_hash is also UNIQUE) and its time order
 * holds. Readers never wait. Open it with `PostgresStore.open` (migrates first) or `openStore` (open.ts).
 */
export class PostgresStore implements Store {
  readonly location: string;
  readonly #pool: pg.Pool;
  readonly #opts: PostgresStoreOptions;
  #signer: AuditSigner | undefined;

  private constructor(pool: pg.Pool, opts: PostgresStoreOptions) {
    this.#pool = pool;
    this.#opts = opts;
    this.location = opts.location;
    this.#signer = opts.signer;
  }

  static async open(url: string, opts: PostgresStoreOptions): Promise<PostgresStore> {
    const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 4 });
    pool.on('error', () => undefined); // an idle connection dropped by the server: the next query reconnects
    const store = new PostgresStore(pool, opts);
    try {
      await store.#run((db) => migratePostgres(db));
      if (opts.signerFor) store.#signer = await opts.signerFor(store);
    } catch (e) {
      await pool.end();
      throw e;
    }
    return store;
  }

  /** One connection for `fn`; a server that cannot be reached is said as such, with where and how to fix. */
  async #run<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    let db: Db;
    try {
      db = await this.#pool.connect();
    } catch (e) {
      throw storeUnreachable(this.location, e);
    }
    try {
      return await fn(db);
    } catch (e) {
      throw lostConnection(e) ? storeUnreachable(this.location, e) : e;
    } finally {
      db.release();
    }
  }

  /** One transaction; `write` takes the store's write lock first (see the class comment). */
  async #tx<T>(fn: (db: Db) => Promise<T>, write = true): Promise<T> {
    return this.#run(async (db) => {
      // one round trip: begin, the lock timeout, the write lock (constants only: a multi-statement simple query)
      const timeout = Math.trunc(this.#opts.lockTimeoutMs ?? 5000);
      const lock = write ? `; SELECT pg_advisory_xact_lock(${writeLockKey.join(', ')})` : '';
      try {
        await db.query(`BEGIN; SET LOCAL lock_timeout = ${timeout}${lock}`);
        const result = await fn(db);
        await db.query('COMMIT');
        return result;
      } catch (e) {
        await db.query('ROLLBACK').catch(() => undefined);
        throw this.#busy(e);
      }
    });
  }

  /** A lock not granted in time means another writer holds the store: a conflict, as for SQLite "busy". */
  #busy(e: unknown): unknown {
    if (e instanceof MokoError) return e;
    const code = (e as { code?: string }).code;
    if (code === '55P03' || code === '40P01' || code === '40001')
      return conflict('another mokodeploy process is changing the store right now', {
        where: this.location,
        fix: 'wait for it to finish and run the command again',
      });
    return e;
  }

  async create(m: Mutation): Promise<void> {
    const entry = await this.#tx(async (db) => {
      const exists = await db.query('SELECT 1 FROM deployments WHERE id = $1', [m.record.id]);
      if (exists.rowCount) {
        throw conflict(`a deployment ${m.record.id} already exists`, {
          fix: 'give the plan another `id:` or revise the existing one with `mokodeploy plan revise`',
        });
      }
      const now = m.audit.at;
      const doc = JSON.stringify(m.record);
      const r = m.record;
      await db.query('INSERT INTO deployments VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8)', [
        r.id,
        r.client,
        r.state,
        r.kind,
        r.environment,
        doc,
        now,
        now,
      ]);
      const appended = await this.#append(db, m.audit, { recordHash: hashRecordDoc(doc), revision: 1 });
      await this.#queue(db, appended, undefined, m.record);
      return appended;
    });
    await this.#writeAnchor(entry);
  }

  async get(id: string) {
    const row = await this.#run((db) => this.#row(db, id));
    if (!row) return undefined;
    await this.#run((db) => this.#assertBound(db, row));
    return { record: JSON.parse(row.doc) as DeploymentRecord, revision: row.revision };
  }

  async #row(db: Db, id: string, forUpdate = false): Promise<StoredRow | undefined> {
    const { rows } = await db.query<StoredRow>(
      `${quotedAliases(selectRows)} WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0];
  }

  async storedRows(): Promise<StoredRow[]> {
    return this.#run(async (db) => {
      const { rows } = await db.query<StoredRow>(`${quotedAliases(selectRows)} ORDER BY created_at`);
      return rows;
    });
  }

  /** The one check before a record is used (binding.ts): refused when the trail did not write it. */
  async #assertBound(db: Db, row: StoredRow): Promise<void> {
    const facts = await bindingFacts(db, row.id);
    const problems = bindingProblemsOf(row, facts, { signer: this.#signer, anchor: this.readAnchor() });
    if (problems.length > 0)
      throw refused(`deployment ${row.id} does not match its audit trail; nothing was done`, {
        details: problems,
        fix: 'run `mokodeploy audit verify` to see every difference; restore the store from a backup made before the change',
      });
  }

  async list(): Promise<DeploymentSummary[]> {
    return this.#run(async (db) => {
      const { rows } = await db.query<DeploymentSummary>(
        'SELECT id, client, state, kind, environment, updated_at AS "updatedAt" FROM deployments ORDER BY updated_at DESC',
      );
      return rows;
    });
  }

  async all(): Promise<DeploymentRecord[]> {
    return this.#run(async (db) => {
      const { rows } = await db.query<{ doc: string }>('SELECT doc FROM deployments ORDER BY created_at');
      return rows.map((r) => JSON.parse(r.doc) as DeploymentRecord);
    });
  }

  async mutate(
    id: string,
    change: (record: DeploymentRecord) => Mutation,
    opts: { expectedRevision?: number } = {},
  ): Promise<DeploymentRecord> {
    const { record, entry } = await this.#tx(async (db) => {
      const row = await this.#row(db, id, true);
      if (!row) throw notFound(`no deployment ${id}`, { fix: 'list them with: mokodeploy list' });
      await this.#assertBound(db, row);
      if (opts.expectedRevision !== undefined && opts.expectedRevision !== row.revision) {
        throw conflict(
          `${id} was changed by someone else while this command ran (revision ${row.revision}, expected ${opts.expectedRevision})`,
          { fix: `look at it again (mokodeploy show ${id}) and repeat the command` },
        );
      }
      const m = change(JSON.parse(row.doc) as DeploymentRecord);
      const doc = JSON.stringify(m.record);
      await db.query(
        'UPDATE deployments SET state = $1, kind = $2, environment = $3, revision = revision + 1, doc = $4, updated_at = $5 WHERE id = $6 AND revision = $7',
        [m.record.state, m.record.kind, m.record.environment, doc, m.audit.at, id, row.revision],
      );
      const appended = await this.#append(db, m.audit, {
        recordHash: hashRecordDoc(doc),
        revision: row.revision + 1,
      });
      await this.#queue(db, appended, JSON.parse(row.doc) as DeploymentRecord, m.record);
      return { record: m.record, entry: appended };
    });
    await this.#writeAnchor(entry);
    return record;
  }

  async appendAudit(draft: AuditDraft): Promise<AuditEntry> {
    const entry = await this.#tx(async (db) => {
      const appended = await this.#append(db, draft);
      const row =
        draft.deploymentId && this.#opts.notify ? await this.#row(db, draft.deploymentId) : undefined;
      const record = row ? (JSON.parse(row.doc) as DeploymentRecord) : undefined;
      await this.#queue(db, appended, record, record);
      return appended;
    });
    await this.#writeAnchor(entry);
    return entry;
  }

  /** The messages an entry causes, in its transaction: they exist exactly when the entry does. */
  async #queue(
    db: Db,
    entry: AuditEntry,
    before?: DeploymentRecord,
    after?: DeploymentRecord,
  ): Promise<void> {
    if (!this.#opts.notify) return;
    const drafts = this.#opts.notify({ entry, before, after });
    if (drafts.length > 0) await insertOutbox(db, entry, drafts, this.#signer);
  }

  /** Append one entry after the chain's last (append.ts); the caller holds the write lock. */
  async #append(db: Db, raw: AuditDraft, binding: RecordBinding = {}): Promise<AuditEntry> {
    const { rows } = await db.query<ChainHead>('SELECT seq, hash, at FROM audit ORDER BY pos DESC LIMIT 1');
    const last = rows[0];
    const behind = behindAnchorOf(last?.seq ?? null, this.readAnchor());
    const entry = nextEntry(raw, last, { behind, binding, signer: this.#signer });
    const params = auditValues(entry);
    await db.query(
      `INSERT INTO audit (${auditColumns}) VALUES (${params.map((_, i) => `$${i + 1}`).join(', ')})`,
      params,
    );
    return entry;
  }

  async outbox(filter: { deploymentId?: string } = {}): Promise<OutboxMessage[]> {
    return this.#run((db) => listOutbox(db, filter));
  }

  async claimOutbox(opts: ClaimOptions): Promise<OutboxMessage[]> {
    return this.#tx((db) => claimOutbox(db, opts, this.#signer), false);
  }

  async settleOutbox(
    id: number,
    opts: { claimer: string; now: string; delivery: Delivery; maxAttempts: number },
  ): Promise<void> {
    await this.#tx((db) => settleOutbox(db, id, opts), false);
  }

  /** The newest seq and hash (the entry just appended, else read), kept on this machine beside the audit key (anchor.ts): a truncated tail shows. */
  async #writeAnchor(head?: Anchor): Promise<void> {
    if (!this.#opts.anchorFile) return;
    // an entry appended under the write lock was the head when its transaction committed
    const last = head
      ? { seq: head.seq, hash: head.hash }
      : await this.#run(
          async (db) =>
            (await db.query<Anchor>('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1')).rows[0],
        );
    if (!last) return;
    const signer = this.#signer;
    writeAnchorForward(
      this.#opts.anchorFile,
      signer ? { ...last, signature: signer.sign(anchorMessage(last.seq, last.hash)) } : last,
    );
  }

  readAnchor(): Anchor | undefined {
    return this.#opts.anchorFile ? readAnchorFile(this.#opts.anchorFile) : undefined;
  }

  async auditEntries(): Promise<AuditEntry[]> {
    // storage order (pos), not seq order, so reordering is visible to the verifier
    return this.#run(async (db) =>
      (await db.query<AuditRow>('SELECT * FROM audit ORDER BY pos')).rows.map(entryOf),
    );
  }

  /** A value of the store's own settings (store_meta), e.g. its audit public key. */
  async meta(name: string): Promise<string | undefined> {
    return this.#run(
      async (db) =>
        (await db.query<{ value: string }>('SELECT value FROM store_meta WHERE name = $1', [name])).rows[0]
          ?.value,
    );
  }

  /** Set a setting unless it is set already; returns the value in force. */
  async setMetaOnce(name: string, value: string): Promise<string> {
    await this.#run((db) =>
      db.query('INSERT INTO store_meta VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, value]),
    );
    return (await this.meta(name))!;
  }

  /** Every row, in one snapshot (postgres-import.ts): what `store migrate` copies. */
  async dump(): Promise<StoreDump> {
    return this.#run(dumpPostgres);
  }

  /** Fill this empty store with another store's rows (postgres-import.ts), then anchor its head on this machine. */
  async importDump(dump: StoreDump): Promise<void> {
    await this.#tx((db) => importDump(db, dump));
    await this.#writeAnchor();
  }

  async signedEntries(): Promise<number> {
    return this.#run(
      async (db) =>
        (await db.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM audit WHERE signature IS NOT NULL'))
          .rows[0]!.n,
    );
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
