import { nginxComment, nginxHostname, nginxPath as path, nginxValue as v } from '../escape/nginx.js';
import { securityHeaders } from './security-headers.js';
import { cronByUrlPath } from './cron-by-url-path.js';
import { checkedInt, httpsRedirectTarget, listenAddress, type SiteOptions } from './site-options.js';

/**
 * An nginx site for Dolibarr: HTTP -> HTTPS redirect, TLS, security headers, denied paths, PHP-FPM with
 * PATH_INFO (the REST API is /api/index.php/<path>, DOLIBARR.md §6). $realpath_root resolves the `current`
 * symlink so a release switch is atomic for PHP (each request sees one release; opcache keys by real path).
 * Every value goes through the nginx escaper (src/escape/nginx.ts), which throws rather than emit a value that
 * could end a directive or open a block.
 */
export function renderNginxSite(o: SiteOptions): string {
  const headers = securityHeaders();
  const domain = nginxHostname(o.domain);
  path(o.fpmSocket, 'the PHP-FPM socket'); // absolute, then written with its unix: prefix as one word
  const socket = v(`unix:${o.fpmSocket}`, 'the PHP-FPM socket');
  const addHeaders = headers.map((h) => `    add_header ${h.name} "${h.value}" always;`);
  const hideUpstream = headers.map((h) => `        fastcgi_hide_header ${h.name};`);
  const php = [
    '        fastcgi_split_path_info ^(.+?\\.php)(/.*)$;',
    '        if (!-f $realpath_root$fastcgi_script_name) { return 404; }',
    `        include ${path(o.fastcgiParams ?? '/etc/nginx/fastcgi_params', 'fastcgi_params')};`,
    '        fastcgi_param SCRIPT_FILENAME $realpath_root$fastcgi_script_name;',
    '        fastcgi_param DOCUMENT_ROOT $realpath_root;',
    '        fastcgi_param PATH_INFO $fastcgi_path_info;',
    '        fastcgi_param HTTPS on;',
    // Apache passes its ServerAdmin, nginx nothing: main.inc.php reads $_SERVER["SERVER_ADMIN"] unguarded when it
    // prints the first-ping script on index.php, a PHP warning in the error log of every fresh install otherwise
    `        fastcgi_param SERVER_ADMIN ${v(`webmaster@${domain}`)};`,
    ...hideUpstream,
    `        fastcgi_pass ${socket};`,
  ];
  return [
    nginxComment(`mokodeploy: Dolibarr site for ${domain} (${o.name})`),
    'server {',
    ...listen(o, port(o.httpPort), ''),
    `    server_name ${domain};`,
    `    return 301 ${v(httpsRedirectTarget(o), 'the site domain')}$request_uri;`,
    '}',
    '',
    'server {',
    ...listen(o, port(o.httpsPort), ' ssl'),
    `    server_name ${domain};`,
    `    root ${path(o.documentRoot, 'the document root')};`,
    '    index index.php;',
    `    ssl_certificate ${path(o.certificateFile, 'the certificate file')};`,
    `    ssl_certificate_key ${path(o.keyFile, 'the key file')};`,
    '    ssl_protocols TLSv1.2 TLSv1.3;',
    '    ssl_prefer_server_ciphers off;',
    '    server_tokens off;',
    `    client_max_body_size ${size(o.maxUploadMb ?? 64)}m;`,
    ...addHeaders,
    ...(o.maintenanceFlag
      ? [
          '',
          '    # maintenance (issue 5): 503 while the flag file exists, checked per request',
          `    if (-f ${path(o.maintenanceFlag, 'the maintenance flag')}) { return 503; }`,
        ]
      : []),
    '',
    '    # never served: config, installer, dotfiles, dumps, logs, lock files',
    '    location ~ /\\. { deny all; }',
    '    location ^~ /conf/ { deny all; }',
    '    location ^~ /install/ { deny all; }',
    '    location ~* \\.(sql|log|lock|dist|example)$ { deny all; }',
    '',
    '    location / {',
    '        try_files $uri $uri/ =404;',
    '    }',
    '',
    '    location ~ [^/]\\.php(/|$) {',
    ...php,
    '    }',
    '',
    // the cron line GETs this page with the key in the query string (CSRF refuses a POST: docs/DOLIBARR-NOTES.md)
    `    location = ${cronByUrlPath} {`,
    '        access_log off;',
    ...php,
    '    }',
    '}',
    '',
  ].join('\n');
}

const port = (n: number) => checkedInt(n, 1, 65535, 'a port');
const size = (n: number) => checkedInt(n, 1, 1_000_000, 'the upload size');

/** One listen line per plan address (site.listen), else one for every interface. */
function listen(o: SiteOptions, port: string, suffix: string): string[] {
  return (o.listen ?? ['']).map((a) => `    listen ${a ? listenAddress(a, port) : port}${suffix};`);
}
