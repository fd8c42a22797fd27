import Database from 'better-sqlite3';
import { dirname } from 'node:path';
import type { DeploymentRecord } from '../core/record.js';
import { conflict, MokoError, notFound, refused } from '../core/errors.js';
import { hashRecordDoc, type AuditDraft, type AuditEntry, type RecordBinding } from '../audit/entry.js';
import { auditColumns, auditValues, nextEntry, type ChainHead } from './append.js';
import { anchorMessage, type Anchor } from '../audit/verify.js';
import { readAnchorFile, writeAnchorForward } from '../audit/anchor.js';
import { boundAction } from '../audit/record-binding.js';
import type { AuditSigner } from '../audit/signing-key.js';
import type { DeploymentSummary, Mutation, Store } from './store.js';
import { sqliteMigrations } from './sqlite-migrations.js';
import { entryOf, selectRows, type AuditRow, type StoredRow } from './rows.js';
import { behindAnchor, bindingProblems } from './sqlite-binding.js';
import { ensurePrivateDir, ensurePrivateFile, narrowIfPresent } from './private-files.js';
import type { Delivery, Notifier, OutboxMessage } from '../notify/message.js';
import { claimOutbox, insertOutbox, listOutbox, settleOutbox, type ClaimOptions } from './sqlite-outbox.js';
import type { OutboxRow } from './outbox-rows.js';
import type { StoreDump } from './dump.js';

/** The embedded default store: one SQLite file (WAL), plus the audit anchor file beside it. */
export class SqliteStore implements Store {
  readonly location: string;
  readonly #db: Database.Database;
  readonly #anchorPath: string;
  /** Where stores kept their anchor before it moved beside the audit key; read only when the new one is missing. */
  readonly #legacyAnchorPath: string;
  readonly #signer: AuditSigner | undefined;
  readonly #notify: Notifier | undefined;

  /**
   * With a signer, every audit entry and the anchor are signed (the CLI and the server always pass one).
   * `anchorFile`: where the trail's signed head lives, outside the store (anchor.ts); default beside the store.
   * `notify`: the messages an entry causes (src/notify), queued in the outbox in the entry's own transaction.
   */
  constructor(
    path: string,
    opts: { busyTimeoutMs?: number; signer?: AuditSigner; anchorFile?: string; notify?: Notifier } = {},
  ) {
    ensurePrivateDir(dirname(path));
    ensurePrivateFile(path); // SQLite gives the -wal and -shm files the database file's mode
    for (const suffix of ['-wal', '-shm']) narrowIfPresent(`${path}${suffix}`);
    this.location = path;
    this.#legacyAnchorPath = `${path}.audit-anchor`;
    this.#anchorPath = opts.anchorFile ?? this.#legacyAnchorPath;
    this.#signer = opts.signer;
    this.#notify = opts.notify;
    this.#db = new Database(path);
    this.#db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    if (this.#migrate().includes(3)) this.#bindRecordsWrittenBefore();
  }

  /** Apply the migrations not applied yet; returns their versions. */
  #migrate(): number[] {
    return this.#guard(() => {
      this.#db.exec(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
      );
      const done = new Set(
        (this.#db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
          (r) => r.version,
        ),
      );
      const apply = this.#db.transaction(() => {
        const todo = sqliteMigrations.filter((x) => !done.has(x.version));
        for (const m of todo) {
          this.#db.exec(m.sql);
          this.#db
            .prepare('INSERT INTO schema_migrations VALUES (?, ?)')
            .run(m.version, new Date().toISOString());
        }
        return todo.map((m) => m.version);
      });
      return apply.immediate();
    });
  }

  /**
   * Records written before entries carried a record hash are bound once, as they are now, by one entry each
   * (trust on first use): from then on every change of them is checked against the chain.
   */
  #bindRecordsWrittenBefore(): void {
    const rows = this.#db.prepare(`${selectRows} ORDER BY created_at`).all() as StoredRow[];
    if (rows.length === 0) return;
    this.#guard(() =>
      this.#db
        .transaction(() => {
          for (const row of rows) {
            const last = this.#db.prepare('SELECT at FROM audit ORDER BY pos DESC LIMIT 1').get() as
              { at: string } | undefined;
            const now = new Date().toISOString();
            this.#append(
              {
                at: last && last.at > now ? last.at : now,
                actor: 'mokodeploy',
                role: '-',
                action: boundAction,
                deploymentId: row.id,
                summary:
                  'bound the record, written before records were bound to the audit trail, as it is now',
                before: null,
                after: { createdAt: row.createdAt, updatedAt: row.updatedAt },
              },
              { recordHash: hashRecordDoc(row.doc), revision: row.revision },
            );
          }
        })
        .immediate(),
    );
    this.#writeAnchor();
  }

  /** SQLite "busy" after the timeout means another process holds the store: a conflict, not a crash. */
  #guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof MokoError) throw e;
      const code = (e as { code?: string }).code ?? '';
      if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
        throw conflict('another mokodeploy process is changing the store right now', {
          where: this.location,
          fix: 'wait for it to finish and run the command again',
        });
      }
      throw e;
    }
  }

  async create(m: Mutation): Promise<void> {
    this.#guard(() =>
      this.#db
        .transaction(() => {
          const exists = this.#db.prepare('SELECT 1 FROM deployments WHERE id = ?').get(m.record.id);
          if (exists) {
            throw conflict(`a deployment ${m.record.id} already exists`, {
              fix: 'give the plan another `id:` or revise the existing one with `mokodeploy plan revise`',
            });
          }
          const now = m.audit.at;
          const doc = JSON.stringify(m.record);
          this.#db
            .prepare('INSERT INTO deployments VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)')
            .run(
              m.record.id,
              m.record.client,
              m.record.state,
              m.record.kind,
              m.record.environment,
              doc,
              now,
              now,
            );
          const entry = this.#append(m.audit, { recordHash: hashRecordDoc(doc), revision: 1 });
          this.#queue(entry, undefined, m.record);
        })
        .immediate(),
    );
    this.#writeAnchor();
  }

  /** A record to act on or show: refused when it is not what the audit trail wrote (changed in the store). */
  async get(id: string) {
    const row = this.#guard(() => this.#row(id));
    if (!row) return undefined;
    this.#assertBound(row);
    return { record: JSON.parse(row.doc) as DeploymentRecord, revision: row.revision };
  }

  #row(id: string): StoredRow | undefined {
    return this.#db.prepare(`${selectRows} WHERE id = ?`).get(id) as StoredRow | undefined;
  }

  /** Every row as stored, every column, for `audit verify` (record-binding.ts). */
  async storedRows(): Promise<StoredRow[]> {
    return this.#guard(() => this.#db.prepare(`${selectRows} ORDER BY created_at`).all() as StoredRow[]);
  }

  /** The one check before a record is used (sqlite-binding.ts): refused when the trail did not write it. */
  #assertBound(row: StoredRow): void {
    const problems = bindingProblems(this.#db, row, { signer: this.#signer, anchor: this.readAnchor() });
    if (problems.length > 0)
      throw refused(`deployment ${row.id} does not match its audit trail; nothing was done`, {
        details: problems,
        fix: 'run `mokodeploy audit verify` to see every difference; restore the store from a backup made before the change',
      });
  }

  #behindAnchor(): string | undefined {
    return behindAnchor(this.#db, this.readAnchor());
  }

  async list(): Promise<DeploymentSummary[]> {
    const rows = this.#guard(() =>
      this.#db
        .prepare(
          'SELECT id, client, state, kind, environment, updated_at AS updatedAt FROM deployments ORDER BY updated_at DESC',
        )
        .all(),
    );
    return rows as DeploymentSummary[];
  }

  async all(): Promise<DeploymentRecord[]> {
    const rows = this.#guard(() =>
      this.#db.prepare('SELECT doc FROM deployments ORDER BY created_at').all(),
    ) as { doc: string }[];
    return rows.map((r) => JSON.parse(r.doc) as DeploymentRecord);
  }

  async mutate(
    id: string,
    change: (record: DeploymentRecord) => Mutation,
    opts: { expectedRevision?: number } = {},
  ) {
    const result = this.#guard(() =>
      this.#db
        .transaction(() => {
          const row = this.#row(id);
          if (!row) throw notFound(`no deployment ${id}`, { fix: 'list them with: mokodeploy list' });
          this.#assertBound(row);
          if (opts.expectedRevision !== undefined && opts.expectedRevision !== row.revision) {
            throw conflict(
              `${id} was changed by someone else while this command ran (revision ${row.revision}, expected ${opts.expectedRevision})`,
              {
                fix: `look at it again (mokodeploy show ${id}) and repeat the command`,
              },
            );
          }
          const m = change(JSON.parse(row.doc) as DeploymentRecord);
          const doc = JSON.stringify(m.record);
          this.#db
            .prepare(
              'UPDATE deployments SET state = ?, kind = ?, environment = ?, revision = revision + 1, doc = ?, updated_at = ? WHERE id = ? AND revision = ?',
            )
            .run(m.record.state, m.record.kind, m.record.environment, doc, m.audit.at, id, row.revision);
          const entry = this.#append(m.audit, { recordHash: hashRecordDoc(doc), revision: row.revision + 1 });
          this.#queue(entry, JSON.parse(row.doc) as DeploymentRecord, m.record);
          return m.record;
        })
        .immediate(),
    );
    this.#writeAnchor();
    return result;
  }

  async appendAudit(draft: AuditDraft): Promise<AuditEntry> {
    const entry = this.#guard(() =>
      this.#db
        .transaction(() => {
          const appended = this.#append(draft);
          const row = draft.deploymentId && this.#notify ? this.#row(draft.deploymentId) : undefined;
          const record = row ? (JSON.parse(row.doc) as DeploymentRecord) : undefined;
          this.#queue(appended, record, record);
          return appended;
        })
        .immediate(),
    );
    this.#writeAnchor();
    return entry;
  }

  /** The messages an entry causes, in its transaction: they exist exactly when the entry does. */
  #queue(entry: AuditEntry, before: DeploymentRecord | undefined, after: DeploymentRecord | undefined): void {
    if (!this.#notify) return;
    const drafts = this.#notify({ entry, before, after });
    if (drafts.length > 0) insertOutbox(this.#db, entry, drafts, this.#signer);
  }

  /** The outbox, oldest first; with a deployment id, that deployment's messages. */
  async outbox(filter: { deploymentId?: string } = {}): Promise<OutboxMessage[]> {
    return this.#guard(() => listOutbox(this.#db, filter));
  }

  /** Take the due messages for one sender (sqlite-outbox.ts): no other sender gets them. */
  async claimOutbox(opts: ClaimOptions): Promise<OutboxMessage[]> {
    return this.#guard(() => claimOutbox(this.#db, opts, this.#signer));
  }

  async settleOutbox(
    id: number,
    opts: { claimer: string; now: string; delivery: Delivery; maxAttempts: number },
  ): Promise<void> {
    this.#guard(() => this.#db.transaction(() => settleOutbox(this.#db, id, opts)).immediate());
  }

  /** Append one entry after the chain's last (append.ts), inside the caller's IMMEDIATE transaction. */
  #append(raw: AuditDraft, binding: RecordBinding = {}): AuditEntry {
    const last = this.#db.prepare('SELECT seq, hash, at FROM audit ORDER BY pos DESC LIMIT 1').get() as
      ChainHead | undefined;
    const entry = nextEntry(raw, last, { behind: this.#behindAnchor(), binding, signer: this.#signer });
    this.#db
      .prepare(`INSERT INTO audit (${auditColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(...auditValues(entry));
    return entry;
  }

  /** The newest seq and hash, kept outside the database (anchor.ts) so a truncated tail is visible. */
  #writeAnchor(): void {
    const last = this.#db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as
      Anchor | undefined;
    if (!last) return;
    const anchor: Anchor = this.#signer
      ? { ...last, signature: this.#signer.sign(anchorMessage(last.seq, last.hash)) }
      : last;
    writeAnchorForward(this.#anchorPath, anchor);
  }

  readAnchor(): Anchor | undefined {
    return (
      readAnchorFile(this.#anchorPath) ??
      (this.#anchorPath === this.#legacyAnchorPath ? undefined : readAnchorFile(this.#legacyAnchorPath))
    );
  }

  async auditEntries(): Promise<AuditEntry[]> {
    // storage order (pos), not seq order, so reordering is visible to the verifier
    const rows = this.#guard(() => this.#db.prepare('SELECT * FROM audit ORDER BY pos').all()) as AuditRow[];
    return rows.map(entryOf);
  }

  /** Every row, in one read transaction (one snapshot): what `store migrate` copies. */
  async dump(): Promise<StoreDump> {
    return this.#guard(() =>
      this.#db.transaction(() => ({
        deployments: this.#db.prepare(`${selectRows} ORDER BY created_at`).all() as StoredRow[],
        audit: this.#db.prepare('SELECT * FROM audit ORDER BY pos').all() as AuditRow[],
        outbox: this.#db.prepare('SELECT * FROM outbox ORDER BY id').all() as OutboxRow[],
      }))(),
    );
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}
