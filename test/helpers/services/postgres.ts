import { execFile } from 'node:child_process';
import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort, makeTempDir, removeDir, retryOnPortClash, startDaemon, waitFor } from './process.js';

const execFileAsync = promisify(execFile);
const bin = '/usr/lib/postgresql/15/bin';
/** PostgreSQL refuses to run as root: as root, the server runs as Debian's `postgres` user (runuser). */
const osUser = 'postgres';

export interface PostgresOptions {
  /** fsync and synchronous_commit (default off: tests need no durability; the store bench turns them on). */
  durable?: boolean;
}

export interface Postgres {
  port: number;
  /** The directory of the server's unix socket. */
  socketDir: string;
  dir: string;
  /** The superuser `postgres` over TCP, with its password. */
  adminUrl: string;
  /** A new empty database owned by the login role `moko` (not a superuser); its URL with moko's password. */
  createDatabase(name?: string): Promise<string>;
  /** Run SQL as the superuser in a database (default postgres). */
  query(sql: string, params?: unknown[], database?: string): Promise<pg.QueryResult>;
  stop(): Promise<void>;
}

const asServerUser = (argv: string[]) =>
  process.getuid?.() === 0 ? ['runuser', '-u', osUser, '--', ...argv] : argv;

/** A throw-away PostgreSQL 15 (initdb into a temp dir) on 127.0.0.1:<free port>, password auth over TCP. */
export function startPostgres(options: PostgresOptions = {}): Promise<Postgres> {
  return retryOnPortClash(() => startPostgresOnce(options));
}

async function startPostgresOnce(options: PostgresOptions): Promise<Postgres> {
  const dir = makeTempDir('postgres');
  const data = join(dir, 'data');
  const socketDir = join(dir, 'sock');
  mkdirSync(socketDir);
  const password = randomBytes(12).toString('hex');
  const mokoPassword = randomBytes(12).toString('hex');
  writeFileSync(join(dir, 'pw'), `${password}\n`, { mode: 0o600 });
  if (process.getuid?.() === 0) {
    const { stdout } = await execFileAsync('id', ['-u', osUser]);
    const { stdout: gid } = await execFileAsync('id', ['-g', osUser]);
    for (const p of [dir, socketDir, join(dir, 'pw')]) chownSync(p, Number(stdout), Number(gid));
  }
  const [cmd, ...args] = asServerUser([
    `${bin}/initdb`,
    '-D',
    data,
    '-U',
    'postgres',
    `--pwfile=${join(dir, 'pw')}`,
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    '--no-locale',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  await execFileAsync(cmd!, args, { timeout: 60_000, cwd: dir });
  const port = await freePort();
  const durable = options.durable ? 'on' : 'off';
  const daemon = startDaemon(
    asServerUser([
      `${bin}/postgres`,
      '-D',
      data,
      '-k',
      socketDir,
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-c',
      `fsync=${durable}`,
      '-c',
      `synchronous_commit=${durable}`,
      '-c',
      `full_page_writes=${durable}`,
      '-c',
      'max_connections=200',
      '-c',
      'shared_buffers=32MB',
    ]),
    { cwd: dir },
  );
  const adminUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  const query = async (sql: string, params: unknown[] = [], database = 'postgres') => {
    const client = new pg.Client({ connectionString: adminUrl.replace(/\/postgres$/, `/${database}`) });
    await client.connect();
    try {
      return await client.query(sql, params);
    } finally {
      await client.end();
    }
  };
  const stop = async () => {
    const [c, ...a] = asServerUser([`${bin}/pg_ctl`, 'stop', '-D', data, '-m', 'immediate']);
    await execFileAsync(c!, a, { timeout: 30_000 }).catch(() => undefined);
    await daemon.stop(5_000);
    removeDir(dir);
  };
  try {
    await waitFor(
      `postgres on port ${port}`,
      async () => {
        if (daemon.exited()) throw new Error(`postgres exited: ${daemon.output()}`);
        return query('SELECT 1').then(
          () => true,
          () => false,
        );
      },
      60_000,
      daemon.output,
    );
    await query(`CREATE ROLE moko LOGIN PASSWORD '${mokoPassword}'`);
  } catch (e) {
    await stop();
    throw e;
  }
  let n = 0;
  return {
    port,
    socketDir,
    dir,
    adminUrl,
    query,
    async createDatabase(name = `moko_${process.pid}_${++n}_${randomBytes(3).toString('hex')}`) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
      await query(`CREATE DATABASE ${name} OWNER moko`);
      return `postgres://moko:${mokoPassword}@127.0.0.1:${port}/${name}`;
    },
    stop,
  };
}
