import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { AuditSigner } from '../../src/audit/signing-key.js';
import type { Notifier } from '../../src/notify/message.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { PostgresStore } from '../../src/store/postgres.js';
import { parsePostgresUrl } from '../../src/store/postgres-connect.js';
import type { Store } from '../../src/store/store.js';
import { startPostgres, type Postgres } from './services/postgres.js';

export interface StoreOptions {
  signer?: AuditSigner;
  anchorFile?: string;
  notify?: Notifier;
}

/**
 * One store implementation as the contract suite sees it (test/integration/store-contract*.test.ts): every store
 * test runs once per backend. `fresh()` names a new empty store (a file path, or the URL of a new database);
 * `sql()` edits it behind the store's back, as a tamperer would (`?` placeholders on both).
 */
export interface StoreBackend {
  name: 'sqlite' | 'postgres';
  fresh(): Promise<string>;
  open(where: string, opts?: StoreOptions): Promise<Store>;
  sql(where: string, text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
}

const sqlite: StoreBackend = {
  name: 'sqlite',
  async fresh() {
    return join(mkdtempSync(join(tmpdir(), 'moko-store-')), 'home', 'mokodeploy.sqlite');
  },
  async open(where, opts = {}) {
    return new SqliteStore(where, opts);
  },
  async sql(where, text, params = []) {
    const db = new Database(where);
    try {
      const st = db.prepare(text);
      return st.reader ? (st.all(...params) as Record<string, unknown>[]) : (st.run(...params), []);
    } finally {
      db.close();
    }
  },
};

function postgres(server: () => Postgres): StoreBackend {
  return {
    name: 'postgres',
    fresh: () => server().createDatabase(),
    async open(where, opts = {}) {
      return PostgresStore.open(where, { ...opts, location: parsePostgresUrl(where, 'test').location });
    },
    async sql(where, text, params = []) {
      const client = new pg.Client({ connectionString: where });
      await client.connect();
      try {
        let n = 0;
        return (
          await client.query(
            text.replace(/\?/g, () => `$${++n}`),
            params,
          )
        ).rows;
      } finally {
        await client.end();
      }
    },
  };
}

/** Both backends; call `start()` in beforeAll (starts PostgreSQL) and `stop()` in afterAll. */
export function storeBackends() {
  let server: Postgres | undefined;
  const backends: StoreBackend[] = [sqlite, postgres(() => server!)];
  return {
    backends,
    async start() {
      server = await startPostgres();
    },
    async stop() {
      await server?.stop();
    },
  };
}
