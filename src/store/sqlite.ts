import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DeploymentRecord } from '../core/record.js';
import { conflict, MokoError, notFound } from '../core/errors.js';
import { entryHash, genesisHash, sanitizeDraft, type AuditDraft, type AuditEntry } from '../audit/entry.js';
import { anchorMessage, type Anchor } from '../audit/verify.js';
import type { AuditSigner } from '../audit/signing-key.js';
import type { DeploymentSummary, Mutation, Store } from './store.js';
import { sqliteMigrations } from './sqlite-migrations.js';

interface AuditRow {
  pos: number;
  seq: number;
  at: string;
  actor: string;
  role: string;
  action: string;
  deployment_id: string | null;
  summary: string;
  before: string;
  after: string;
  prev_hash: string;
  hash: string;
  signature: string | null;
}

/** The embedded default store: one SQLite file (WAL), plus the audit anchor file beside it. */
export class SqliteStore implements Store {
  readonly location: string;
  readonly #db: Database.Database;
  readonly #anchorPath: string;
  readonly #signer: AuditSigner | undefined;

  /** With a signer, every audit entry and the anchor are signed (the CLI and the server always pass one). */
  constructor(path: string, opts: { busyTimeoutMs?: number; signer?: AuditSigner } = {}) {
    mkdirSync(dirname(path), { recursive: true });
    this.location = path;
    this.#anchorPath = `${path}.audit-anchor`;
    this.#signer = opts.signer;
    this.#db = new Database(path);
    this.#db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    this.#migrate();
  }

  #migrate(): void {
    this.#guard(() => {
      this.#db.exec(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
      );
      const done = new Set(
        (this.#db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
          (r) => r.version,
        ),
      );
      const apply = this.#db.transaction(() => {
        for (const m of sqliteMigrations.filter((x) => !done.has(x.version))) {
          this.#db.exec(m.sql);
          this.#db
            .prepare('INSERT INTO schema_migrations VALUES (?, ?)')
            .run(m.version, new Date().toISOString());
        }
      });
      apply.immediate();
    });
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
          this.#db
            .prepare('INSERT INTO deployments VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)')
            .run(
              m.record.id,
              m.record.client,
              m.record.state,
              m.record.kind,
              m.record.environment,
              JSON.stringify(m.record),
              now,
              now,
            );
          this.#append(m.audit);
        })
        .immediate(),
    );
    this.#writeAnchor();
  }

  async get(id: string) {
    const row = this.#guard(() =>
      this.#db.prepare('SELECT doc, revision FROM deployments WHERE id = ?').get(id),
    ) as { doc: string; revision: number } | undefined;
    return row ? { record: JSON.parse(row.doc) as DeploymentRecord, revision: row.revision } : undefined;
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
          const row = this.#db.prepare('SELECT doc, revision FROM deployments WHERE id = ?').get(id) as
            { doc: string; revision: number } | undefined;
          if (!row) throw notFound(`no deployment ${id}`, { fix: 'list them with: mokodeploy list' });
          if (opts.expectedRevision !== undefined && opts.expectedRevision !== row.revision) {
            throw conflict(
              `${id} was changed by someone else while this command ran (revision ${row.revision}, expected ${opts.expectedRevision})`,
              {
                fix: `look at it again (mokodeploy show ${id}) and repeat the command`,
              },
            );
          }
          const m = change(JSON.parse(row.doc) as DeploymentRecord);
          this.#db
            .prepare(
              'UPDATE deployments SET state = ?, kind = ?, environment = ?, revision = revision + 1, doc = ?, updated_at = ? WHERE id = ? AND revision = ?',
            )
            .run(
              m.record.state,
              m.record.kind,
              m.record.environment,
              JSON.stringify(m.record),
              m.audit.at,
              id,
              row.revision,
            );
          this.#append(m.audit);
          return m.record;
        })
        .immediate(),
    );
    this.#writeAnchor();
    return result;
  }

  async appendAudit(draft: AuditDraft): Promise<AuditEntry> {
    const entry = this.#guard(() => this.#db.transaction(() => this.#append(draft)).immediate());
    this.#writeAnchor();
    return entry;
  }

  #append(raw: AuditDraft): AuditEntry {
    const draft = sanitizeDraft(raw);
    const last = this.#db.prepare('SELECT seq, hash FROM audit ORDER BY pos DESC LIMIT 1').get() as
      { seq: number; hash: string } | undefined;
    const seq = (last?.seq ?? 0) + 1;
    const prevHash = last?.hash ?? genesisHash;
    const hash = entryHash(prevHash, { ...draft, seq });
    const signature = this.#signer?.sign(hash);
    this.#db
      .prepare(
        'INSERT INTO audit (seq, at, actor, role, action, deployment_id, summary, before, after, prev_hash, hash, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        seq,
        draft.at,
        draft.actor,
        draft.role,
        draft.action,
        draft.deploymentId,
        draft.summary,
        JSON.stringify(draft.before),
        JSON.stringify(draft.after),
        prevHash,
        hash,
        signature ?? null,
      );
    return { ...draft, seq, prevHash, hash, ...(signature ? { signature } : {}) };
  }

  /** The newest seq and hash, kept outside the database so a truncated tail is visible. */
  #writeAnchor(): void {
    const last = this.#db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as
      Anchor | undefined;
    if (!last) return;
    const anchor: Anchor = this.#signer
      ? { ...last, signature: this.#signer.sign(anchorMessage(last.seq, last.hash)) }
      : last;
    const tmp = `${this.#anchorPath}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(anchor));
    renameSync(tmp, this.#anchorPath);
  }

  readAnchor(): Anchor | undefined {
    try {
      return JSON.parse(readFileSync(this.#anchorPath, 'utf8')) as Anchor;
    } catch {
      return undefined;
    }
  }

  async auditEntries(): Promise<AuditEntry[]> {
    // storage order (pos), not seq order, so reordering is visible to the verifier
    const rows = this.#guard(() => this.#db.prepare('SELECT * FROM audit ORDER BY pos').all()) as AuditRow[];
    return rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      actor: r.actor,
      role: r.role,
      action: r.action,
      deploymentId: r.deployment_id,
      summary: r.summary,
      before: JSON.parse(r.before),
      after: JSON.parse(r.after),
      prevHash: r.prev_hash,
      hash: r.hash,
      ...(r.signature ? { signature: r.signature } : {}),
    }));
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}
