import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, makeTempDir, removeDir, startDaemon, waitFor, retryOnPortClash } from './process.js';

const execFileAsync = promisify(execFile);

export interface MariadbOptions {
  /** Extra mariadbd options, e.g. ['--bind-address=0.0.0.0']. */
  args?: string[];
}

export interface RootClient {
  /** Run SQL as root over the socket; returns tab-separated rows. */
  query(sql: string): Promise<string[][]>;
  /** argv prefix for the mariadb client connected as root, for commands of your own. */
  argv: string[];
}

export interface Mariadb {
  port: number;
  socket: string;
  dir: string;
  rootClient: RootClient;
  /** Stop the server and start it again on the same data (what InnoDB keeps only in memory is gone). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Start a throw-away MariaDB server (mariadb-install-db into a temp datadir) on 127.0.0.1:<free port>. */
export function startMariadb(options: MariadbOptions = {}): Promise<Mariadb> {
  return retryOnPortClash(() => startMariadbOnce(options));
}

async function startMariadbOnce(options: MariadbOptions = {}): Promise<Mariadb> {
  const dir = makeTempDir('mariadb');
  const datadir = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock');
  const port = await freePort();
  // its own tmpdir: the shared /tmp is cleaned by other tests on this machine
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp);
  await execFileAsync(
    'mariadb-install-db',
    [
      '--no-defaults',
      `--datadir=${datadir}`,
      '--user=root',
      '--auth-root-authentication-method=socket',
      '--skip-test-db',
      '--skip-name-resolve',
      `--tmpdir=${tmp}`,
    ],
    { timeout: 60_000 },
  );
  const cnf = join(dir, 'my.cnf');
  writeFileSync(
    cnf,
    '[mariadbd]\ninnodb_buffer_pool_size=32M\ninnodb_log_file_size=8M\nperformance_schema=OFF\n',
  );
  const daemonArgv = [
    '/usr/sbin/mariadbd',
    `--defaults-file=${cnf}`,
    `--datadir=${datadir}`,
    '--user=root',
    `--socket=${socket}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--pid-file=${join(dir, 'mariadbd.pid')}`,
    '--skip-log-bin',
    `--tmpdir=${tmp}`,
    `--log-error=${join(dir, 'error.log')}`,
    ...(options.args ?? []),
  ];
  let daemon = startDaemon(daemonArgv);
  const argv = ['mariadb', '--no-defaults', `--socket=${socket}`, '-uroot', '--batch', '--skip-column-names'];
  const rootClient: RootClient = {
    argv,
    async query(sql) {
      const { stdout } = await execFileAsync(argv[0]!, [...argv.slice(1), '-e', sql], { timeout: 30_000 });
      return stdout
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => l.split('\t'));
    },
  };
  const stop = async () => {
    await daemon.stop(15_000);
    removeDir(dir);
  };
  const ready = () =>
    waitFor(
      `mariadbd on port ${port}`,
      async () => {
        if (daemon.exited()) throw new Error(`mariadbd exited: ${daemon.output()}`);
        if (!existsSync(socket)) return false;
        return rootClient.query('SELECT 1').then(
          () => true,
          () => false,
        );
      },
      60_000,
      daemon.output,
    );
  try {
    await ready();
  } catch (e) {
    await stop();
    throw e;
  }
  const restart = async () => {
    await daemon.stop(15_000);
    daemon = startDaemon(daemonArgv);
    await ready();
  };
  return { port, socket, dir, rootClient, restart, stop };
}
