/** Versioned schema of the embedded store; a migration is never edited once released. */
export const sqliteMigrations: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE deployments (
        id TEXT PRIMARY KEY,
        client TEXT NOT NULL,
        state TEXT NOT NULL,
        kind TEXT NOT NULL,
        environment TEXT NOT NULL,
        revision INTEGER NOT NULL,
        doc TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX deployments_client ON deployments(client);
      CREATE TABLE audit (
        pos INTEGER PRIMARY KEY,
        seq INTEGER NOT NULL UNIQUE,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        role TEXT NOT NULL,
        action TEXT NOT NULL,
        deployment_id TEXT,
        summary TEXT NOT NULL,
        before TEXT NOT NULL,
        after TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX audit_deployment ON audit(deployment_id);
    `,
  },
  {
    version: 2,
    // the Ed25519 signature of each entry's hash (src/audit/signing-key.ts); NULL for entries written before
    sql: 'ALTER TABLE audit ADD COLUMN signature TEXT;',
  },
  {
    version: 3,
    // the record each entry wrote, by hash and revision (src/audit/record-binding.ts); NULL for entries that
    // change no record. Records written before are bound once by a 'record-bound' entry (sqlite.ts).
    sql: 'ALTER TABLE audit ADD COLUMN record_hash TEXT; ALTER TABLE audit ADD COLUMN revision INTEGER;',
  },
  {
    version: 4,
    // the outbox (issue 16 "Communication"): each message a row, inserted in the transaction of the audit entry
    // that causes it (audit_seq), delivered later by `mokodeploy outbox send` (src/notify/deliver.ts)
    sql: `
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        deployment_id TEXT,
        audit_seq INTEGER NOT NULL,
        event TEXT NOT NULL,
        template TEXT NOT NULL,
        channel TEXT NOT NULL,
        recipient TEXT NOT NULL,
        recipient_name TEXT,
        subject TEXT NOT NULL,
        body_text TEXT NOT NULL,
        body_html TEXT,
        attachments TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        claimed_by TEXT,
        claimed_at TEXT,
        reply TEXT,
        sent_at TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
      CREATE INDEX outbox_deployment ON outbox(deployment_id);
    `,
  },
  {
    version: 5,
    // Trust (issue 12): each queued message carries the store's audit key's signature of what it sends
    // (outbox-rows.ts outboxDigest); a row without it, or changed since, is not mailed
    sql: 'ALTER TABLE outbox ADD COLUMN signature TEXT;',
  },
  {
    version: 6,
    // Trust (issue 12): each message has its own id, covered by its signature and unique (outbox-rows.ts): a copy
    // of a signed row under a new row id is refused at insert, and at claim time if the index is gone
    sql: `
      ALTER TABLE outbox ADD COLUMN message_id TEXT;
      CREATE UNIQUE INDEX outbox_message_id ON outbox(message_id);
    `,
  },
];
