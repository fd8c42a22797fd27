import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import {
  freePort,
  makeTempDir,
  removeDir,
  retryOnPortClash,
  startDaemon,
  waitFor,
} from '../services/process.js';

const execFileAsync = promisify(execFile);
const bin = '/usr/lib/postgresql/15/bin';

/**
 * The queue's own throw-away PostgreSQL 15 (Debian's package) on 127.0.0.1, until the store's shared helper
 * (test/helpers/services/postgres.ts) lands: initdb into a temp dir as the `postgres` system user (the server
 * refuses to run as root), trust on loopback only, one database `mokodeploy`.
 */
export interface Postgres {
  port: number;
  url: string;
  /** A URL of another, new database on the same server (one per test file or bench run). */
  newDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

export function startPostgres(): Promise<Postgres> {
  return retryOnPortClash(startOnce);
}

async function startOnce(): Promise<Postgres> {
  const dir = makeTempDir('postgres');
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  const sockets = join(dir, 'sock');
  mkdirSync(sockets);
  for (const d of [dir, sockets]) chownSync(d, 101, 104);
  const port = await freePort();
  const asPostgres = ['runuser', '-u', 'postgres', '--'];
  await execFileAsync(
    asPostgres[0]!,
    [...asPostgres.slice(1), `${bin}/initdb`, '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'],
    { timeout: 60_000 },
  );
  writeFileSync(join(data, 'pg_hba.conf'), 'local all all trust\nhost all all 127.0.0.1/32 trust\n');
  const daemon = startDaemon([
    ...asPostgres,
    `${bin}/postgres`,
    '-D',
    data,
    '-p',
    String(port),
    '-h',
    '127.0.0.1',
    '-k',
    sockets,
    '-c',
    'fsync=off',
    '-c',
    'max_connections=200',
    '-c',
    'shared_buffers=32MB',
  ]);
  const base = `postgres://postgres@127.0.0.1:${port}`;
  const ready = async () => {
    const c = new pg.Client({ connectionString: `${base}/postgres` });
    try {
      await c.connect();
      return true;
    } catch {
      return false;
    } finally {
      await c.end().catch(() => undefined);
    }
  };
  try {
    await waitFor(`postgres on ${port}`, ready, 30_000, () => daemon.output());
  } catch (e) {
    await daemon.stop();
    removeDir(dir);
    throw e;
  }
  const newDatabase = async (name: string) => {
    const c = new pg.Client({ connectionString: `${base}/postgres` });
    await c.connect();
    try {
      await c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    } finally {
      await c.end();
    }
    return `${base}/${name}`;
  };
  const url = await newDatabase('mokodeploy');
  return {
    port,
    url,
    newDatabase,
    async stop() {
      await daemon.stop();
      removeDir(dir);
    },
  };
}
