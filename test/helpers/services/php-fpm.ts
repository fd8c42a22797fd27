import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, removeDir, startDaemon, waitFor } from './process.js';

export interface PhpFpmOptions {
  /** Pool user (default www-data). */
  user?: string;
  /** Extra php.ini values for the pool, e.g. { memory_limit: '256M' }. */
  phpAdminValues?: Record<string, string>;
}

export interface PhpFpm {
  /** Unix socket nginx/Apache pass requests to. */
  socket: string;
  dir: string;
  configPath: string;
  stop(): Promise<void>;
}

/** Start php-fpm8.2 in the foreground (-F) with a generated config and one pool on a unix socket. */
export async function startPhpFpm(options: PhpFpmOptions = {}): Promise<PhpFpm> {
  const dir = makeTempDir('php-fpm');
  chmodSync(dir, 0o755);
  const socket = join(dir, 'php-fpm.sock');
  const user = options.user ?? 'www-data';
  const values = Object.entries(options.phpAdminValues ?? {}).map(([k, v]) => `php_admin_value[${k}] = ${v}`);
  const configPath = join(dir, 'php-fpm.conf');
  writeFileSync(
    configPath,
    [
      '[global]',
      `pid = ${join(dir, 'php-fpm.pid')}`,
      `error_log = ${join(dir, 'php-fpm.log')}`,
      'daemonize = no',
      '[www]',
      `user = ${user}`,
      `group = ${user}`,
      `listen = ${socket}`,
      'listen.mode = 0666',
      'pm = static',
      'pm.max_children = 2',
      'clear_env = no',
      'catch_workers_output = yes',
      ...values,
      '',
    ].join('\n'),
  );
  const daemon = startDaemon(['/usr/sbin/php-fpm8.2', '-F', '-R', '-y', configPath]);
  const stop = async () => {
    await daemon.stop();
    removeDir(dir);
  };
  try {
    await waitFor(
      'php-fpm socket',
      () => {
        if (daemon.exited()) throw new Error(`php-fpm exited: ${daemon.output()}`);
        return existsSync(socket);
      },
      20_000,
      daemon.output,
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { socket, dir, configPath, stop };
}
