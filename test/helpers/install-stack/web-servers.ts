import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { portOpen, startDaemon, waitFor } from '../services/process.js';

const execFileAsync = promisify(execFile);

export interface Running {
  stop(): Promise<void>;
  output(): string;
}

/** php-fpm with a bare global section that includes the pool files our install step wrote. */
export async function startFpmWithPools(dir: string, poolDir: string, socket: string): Promise<Running> {
  const conf = join(dir, 'php-fpm.conf');
  writeFileSync(
    conf,
    [
      '[global]',
      `pid = ${join(dir, 'php-fpm.pid')}`,
      `error_log = ${join(dir, 'php-fpm.log')}`,
      'daemonize = no',
      // a reload (SIGUSR2) lets requests in flight finish instead of cutting them (nginx answers 502 otherwise)
      'process_control_timeout = 10s',
      `include = ${poolDir}/*.conf`,
      '',
    ].join('\n'),
  );
  const d = startDaemon(['/usr/sbin/php-fpm8.2', '-F', '-R', '-y', conf]);
  await waitFor(
    'php-fpm pool socket',
    () => {
      if (d.exited()) throw new Error(`php-fpm exited: ${d.output()}`);
      return existsSync(socket);
    },
    20_000,
    d.output,
  );
  return { stop: () => d.stop(), output: d.output };
}

/**
 * nginx with a main config (workers as www-data) that includes the site files our install step wrote. With
 * `accessLog`, requests are logged there as Debian's nginx.conf logs them (combined, at the http level).
 */
export async function startNginxWithSites(
  dir: string,
  siteDir: string,
  ports: number[],
  accessLog?: string,
): Promise<Running> {
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  chmodSync(dir, 0o755);
  const conf = join(dir, 'nginx.conf');
  const t = join(dir, 'tmp');
  writeFileSync(
    conf,
    `user www-data;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  include /etc/nginx/mime.types;
  access_log ${accessLog ?? 'off'};
  client_body_temp_path ${t}/body; proxy_temp_path ${t}/proxy; fastcgi_temp_path ${t}/fastcgi;
  uwsgi_temp_path ${t}/uwsgi; scgi_temp_path ${t}/scgi;
  include ${siteDir}/*.conf;
}
`,
  );
  await execFileAsync('/usr/sbin/nginx', ['-t', '-q', '-p', dir, '-c', conf]);
  const d = startDaemon(['/usr/sbin/nginx', '-p', dir, '-c', conf, '-g', 'daemon off;']);
  await waitFor(
    'nginx ports',
    async () => {
      if (d.exited()) throw new Error(`nginx exited: ${d.output()}`);
      for (const p of ports) if (!(await portOpen(p))) return false;
      return true;
    },
    15_000,
    d.output,
  );
  return { stop: () => d.stop(), output: d.output };
}

const apacheModules = [
  'mpm_event',
  'authz_core',
  'dir',
  'mime',
  'ssl',
  'socache_shmcb',
  'headers',
  'proxy',
  'proxy_fcgi',
  'alias',
  'setenvif',
];

/** Apache httpd with a bare main config that includes the site files our install step wrote (they carry their Listen lines). */
export async function startApacheWithSites(dir: string, siteDir: string, ports: number[]): Promise<Running> {
  chmodSync(dir, 0o755);
  const conf = join(dir, 'httpd.conf');
  writeFileSync(
    conf,
    [
      ...apacheModules.map((m) => `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so`),
      `ServerRoot ${dir}`,
      `DefaultRuntimeDir ${dir}`,
      `PidFile ${dir}/httpd.pid`,
      `Mutex file:${dir}`,
      `ErrorLog ${dir}/error.log`,
      'User www-data',
      'Group www-data',
      'ServerName localhost',
      'TypesConfig /etc/mime.types',
      `IncludeOptional ${siteDir}/*.conf`,
      '',
    ].join('\n'),
  );
  await execFileAsync('/usr/sbin/apache2', ['-t', '-f', conf]);
  const d = startDaemon(['/usr/sbin/apache2', '-f', conf, '-DFOREGROUND']);
  await waitFor(
    'apache ports',
    async () => {
      if (d.exited()) throw new Error(`apache exited: ${d.output()}`);
      for (const p of ports) if (!(await portOpen(p))) return false;
      return true;
    },
    15_000,
    d.output,
  );
  return { stop: () => d.stop(), output: d.output };
}
