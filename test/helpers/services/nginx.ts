import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  freePort,
  makeTempDir,
  portOpen,
  removeDir,
  startDaemon,
  waitFor,
  retryOnPortClash,
} from './process.js';

const execFileAsync = promisify(execFile);

export interface NginxOptions {
  domain?: string;
  /** Serve HTTPS with this certificate (PEM, leaf first then chain) and key. */
  tls?: { certificatePath: string; keyPath: string };
  /** Document root (default: an empty dir with index.html "ok" and info.php). */
  root?: string;
  /** PHP-FPM unix socket: *.php goes there. */
  phpSocket?: string;
  /** Extra directives inside the server block. */
  extra?: string;
}

export interface Nginx {
  httpPort: number;
  /** Present when `tls` was given. */
  httpsPort?: number;
  prefix: string;
  root: string;
  confPath: string;
  stop(): Promise<void>;
}

function render(o: NginxOptions, prefix: string, root: string, httpPort: number, httpsPort?: number): string {
  const php = o.phpSocket
    ? `location ~ \\.php$ { include /etc/nginx/fastcgi_params; fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name; fastcgi_pass unix:${o.phpSocket}; }`
    : '';
  const tls =
    o.tls && httpsPort
      ? `listen 127.0.0.1:${httpsPort} ssl; ssl_certificate ${o.tls.certificatePath}; ssl_certificate_key ${o.tls.keyPath};`
      : '';
  return `worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 256; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path ${prefix}/tmp/body; proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi; uwsgi_temp_path ${prefix}/tmp/uwsgi; scgi_temp_path ${prefix}/tmp/scgi;
  server {
    listen 127.0.0.1:${httpPort};
    ${tls}
    server_name ${o.domain ?? 'localhost'};
    root ${root};
    index index.php index.html;
    ${php}
    ${o.extra ?? ''}
  }
}
`;
}

/** Start nginx (-p prefix -c generated conf, daemon off) on free 127.0.0.1 ports, HTTPS when `tls` is given. */
export function startNginx(options: NginxOptions = {}): Promise<Nginx> {
  return retryOnPortClash(() => startNginxOnce(options));
}

async function startNginxOnce(options: NginxOptions = {}): Promise<Nginx> {
  const prefix = makeTempDir('nginx');
  chmodSync(prefix, 0o755);
  mkdirSync(join(prefix, 'tmp'));
  const root = options.root ?? join(prefix, 'www');
  if (!options.root) {
    mkdirSync(root);
    writeFileSync(join(root, 'index.html'), 'ok\n');
    writeFileSync(join(root, 'info.php'), '<?php echo "php ", PHP_VERSION;\n');
  }
  const httpPort = await freePort();
  const httpsPort = options.tls ? await freePort() : undefined;
  const confPath = join(prefix, 'nginx.conf');
  writeFileSync(confPath, render(options, prefix, root, httpPort, httpsPort));
  await execFileAsync('/usr/sbin/nginx', ['-t', '-q', '-p', prefix, '-c', confPath]).catch(
    (e: { stderr?: string }) => {
      removeDir(prefix);
      throw new Error(`nginx -t failed: ${e.stderr}`);
    },
  );
  const daemon = startDaemon(['/usr/sbin/nginx', '-p', prefix, '-c', confPath, '-g', 'daemon off;']);
  const stop = async () => {
    await daemon.stop();
    removeDir(prefix);
  };
  try {
    await waitFor(
      `nginx on port ${httpPort}`,
      async () => {
        if (daemon.exited()) throw new Error(`nginx exited: ${daemon.output()}`);
        return (await portOpen(httpPort)) && (!httpsPort || (await portOpen(httpsPort)));
      },
      15_000,
      daemon.output,
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { httpPort, httpsPort, prefix, root, confPath, stop };
}
