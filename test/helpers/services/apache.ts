import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  freePort,
  makeTempDir,
  portOpen,
  removeDir,
  startDaemon,
  waitFor,
  retryOnPortClash,
} from './process.js';

export interface ApacheOptions {
  domain?: string;
  tls?: { certificatePath: string; keyPath: string };
  root?: string;
}

export interface Apache {
  httpPort: number;
  httpsPort?: number;
  dir: string;
  root: string;
  confPath: string;
  stop(): Promise<void>;
}

const modules = ['mpm_event', 'authz_core', 'dir', 'mime'];

function render(o: ApacheOptions, dir: string, root: string, httpPort: number, httpsPort?: number): string {
  const mods = [...modules, ...(o.tls ? ['ssl', 'socache_shmcb'] : [])].map(
    (m) => `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so`,
  );
  const tls =
    o.tls && httpsPort
      ? [
          `Listen 127.0.0.1:${httpsPort}`,
          `<VirtualHost 127.0.0.1:${httpsPort}>`,
          `ServerName ${o.domain ?? 'localhost'}`,
          'SSLEngine on',
          `SSLCertificateFile ${o.tls.certificatePath}`,
          `SSLCertificateKeyFile ${o.tls.keyPath}`,
          '</VirtualHost>',
        ]
      : [];
  return [
    ...mods,
    `ServerRoot ${dir}`,
    `DefaultRuntimeDir ${dir}`,
    `PidFile ${dir}/httpd.pid`,
    `Mutex file:${dir}`,
    `ErrorLog ${dir}/error.log`,
    'User www-data',
    'Group www-data',
    `ServerName ${o.domain ?? 'localhost'}`,
    `Listen 127.0.0.1:${httpPort}`,
    `DocumentRoot ${root}`,
    `<Directory ${root}>`,
    'Require all granted',
    '</Directory>',
    'TypesConfig /etc/mime.types',
    ...tls,
    '',
  ].join('\n');
}

/** Start Apache httpd (apache2 -f generated conf -DFOREGROUND) on free 127.0.0.1 ports. */
export function startApache(options: ApacheOptions = {}): Promise<Apache> {
  return retryOnPortClash(() => startApacheOnce(options));
}

async function startApacheOnce(options: ApacheOptions = {}): Promise<Apache> {
  const dir = makeTempDir('apache');
  chmodSync(dir, 0o755);
  const root = options.root ?? join(dir, 'www');
  if (!options.root) {
    mkdirSync(root);
    writeFileSync(join(root, 'index.html'), 'ok\n');
  }
  const httpPort = await freePort();
  const httpsPort = options.tls ? await freePort() : undefined;
  const confPath = join(dir, 'httpd.conf');
  writeFileSync(confPath, render(options, dir, root, httpPort, httpsPort));
  const daemon = startDaemon(['/usr/sbin/apache2', '-f', confPath, '-DFOREGROUND']);
  const stop = async () => {
    await daemon.stop();
    removeDir(dir);
  };
  try {
    await waitFor(
      `apache on port ${httpPort}`,
      async () => {
        if (daemon.exited()) throw new Error(`apache exited: ${daemon.output()}`);
        return (await portOpen(httpPort)) && (!httpsPort || (await portOpen(httpsPort)));
      },
      15_000,
      daemon.output,
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { httpPort, httpsPort, dir, root, confPath, stop };
}
