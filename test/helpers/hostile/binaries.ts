import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface BinaryResult {
  ok: boolean;
  output: string;
}

async function attempt(argv: string[]): Promise<BinaryResult> {
  try {
    const r = await run(argv[0]!, argv.slice(1), { timeout: 30_000, maxBuffer: 16 * 1024 * 1024 });
    return { ok: true, output: `${r.stdout}${r.stderr}` };
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${x.stdout ?? ''}${x.stderr ?? ''}` || x.message };
  }
}

/** `nginx -t` on a site file inside a minimal main configuration of its own (prefix under dir). */
export async function nginxTest(dir: string, site: string, n: number): Promise<BinaryResult> {
  const prefix = join(dir, `nginx-${n}`);
  mkdirSync(join(prefix, 'tmp'), { recursive: true });
  writeFileSync(join(prefix, 'site.conf'), site);
  const main = `pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log;
events { worker_connections 16; }
http {
  include /etc/nginx/mime.types;
  client_body_temp_path ${prefix}/tmp/body; proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi; uwsgi_temp_path ${prefix}/tmp/uwsgi; scgi_temp_path ${prefix}/tmp/scgi;
  access_log off;
  include ${prefix}/site.conf;
}
`;
  writeFileSync(join(prefix, 'nginx.conf'), main);
  return attempt(['nginx', '-t', '-q', '-p', prefix, '-c', join(prefix, 'nginx.conf')]);
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

/** `apache2 -t` on a site file with the modules the site needs (the install step enables them with a2enmod). */
export async function apacheTest(dir: string, site: string, n: number): Promise<BinaryResult> {
  const root = join(dir, `apache-${n}`);
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'site.conf'), site);
  const main = [
    ...apacheModules.map((m) => `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so`),
    `ServerRoot ${root}`,
    `DefaultRuntimeDir ${root}`,
    `PidFile ${root}/httpd.pid`,
    `ErrorLog ${root}/error.log`,
    'ServerName localhost',
    `Include ${root}/site.conf`,
    '',
  ].join('\n');
  writeFileSync(join(root, 'httpd.conf'), main);
  return attempt(['apache2', '-t', '-f', join(root, 'httpd.conf')]);
}

/** `php-fpm8.2 -t` on a pool with a [global] section of its own. */
export async function fpmTest(dir: string, pool: string, n: number): Promise<BinaryResult> {
  const root = join(dir, `fpm-${n}`);
  mkdirSync(root, { recursive: true });
  const conf = join(root, 'php-fpm.conf');
  writeFileSync(conf, `[global]\npid = ${root}/fpm.pid\nerror_log = ${root}/fpm.log\n\n${pool}`);
  return attempt(['php-fpm8.2', '-t', '-y', conf]);
}

/** What the MariaDB client reads from an option file: the option names, in order. */
export async function optionNames(dir: string, text: string, n: number): Promise<BinaryResult> {
  const file = join(dir, `options-${n}.cnf`);
  writeFileSync(file, text);
  const r = await attempt(['my_print_defaults', `--defaults-file=${file}`, 'client']);
  const names = r.output.split('\n').flatMap((l) => /^--([A-Za-z0-9_-]+)=/.exec(l)?.[1] ?? []);
  return { ok: r.ok, output: names.join(',') };
}

/** PHP's own parser over each file (token_get_all with TOKEN_PARSE = `php -l`), and its token shape. */
export async function phpShapes(dir: string, files: string[]): Promise<BinaryResult[]> {
  const paths = files.map((f, i) => {
    const p = join(dir, `conf-${i}.php`);
    writeFileSync(p, f);
    return p;
  });
  const script = `
foreach (array_slice($argv, 1) as $f) {
  try {
    $t = token_get_all(file_get_contents($f), TOKEN_PARSE);
    $shape = [];
    foreach ($t as $x) if (is_array($x) ? $x[0] !== T_WHITESPACE && $x[0] !== T_COMMENT : true) $shape[] = is_array($x) ? token_name($x[0]) : $x;
    echo json_encode(['ok' => true, 'shape' => implode(' ', $shape)]), "\\n";
  } catch (ParseError $e) { echo json_encode(['ok' => false, 'shape' => $e->getMessage()]), "\\n"; }
}`;
  const r = await attempt(['php', '-r', script, '--', ...paths]);
  const lines = r.output.split('\n').filter((l) => l.startsWith('{'));
  return lines.map((l) => {
    const j = JSON.parse(l) as { ok: boolean; shape: string };
    return { ok: j.ok, output: j.shape };
  });
}
