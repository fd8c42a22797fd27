import { securityHeaders } from './security-headers.js';
import { httpsRedirectTarget, type SiteOptions } from './site-options.js';

/**
 * An nginx site for Dolibarr: HTTP -> HTTPS redirect, TLS, security headers, denied paths, PHP-FPM with
 * PATH_INFO (the REST API is /api/index.php/<path>, DOLIBARR.md §6). $realpath_root resolves the `current`
 * symlink so a release switch is atomic for PHP (each request sees one release; opcache keys by real path).
 */
export function renderNginxSite(o: SiteOptions): string {
  const headers = securityHeaders();
  const addHeaders = headers.map((h) => `    add_header ${h.name} "${h.value}" always;`);
  const hideUpstream = headers.map((h) => `        fastcgi_hide_header ${h.name};`);
  return [
    `# mokodeploy: Dolibarr site for ${o.domain} (${o.name})`,
    'server {',
    `    listen ${o.httpPort};`,
    `    server_name ${o.domain};`,
    `    return 301 ${httpsRedirectTarget(o)}$request_uri;`,
    '}',
    '',
    'server {',
    `    listen ${o.httpsPort} ssl;`,
    `    server_name ${o.domain};`,
    `    root ${o.documentRoot};`,
    '    index index.php;',
    `    ssl_certificate ${o.certificateFile};`,
    `    ssl_certificate_key ${o.keyFile};`,
    '    ssl_protocols TLSv1.2 TLSv1.3;',
    '    ssl_prefer_server_ciphers off;',
    '    server_tokens off;',
    `    client_max_body_size ${o.maxUploadMb ?? 64}m;`,
    ...addHeaders,
    ...(o.maintenanceFlag ? ['', '    # maintenance (issue 5): 503 while the flag file exists, checked per request', `    if (-f ${o.maintenanceFlag}) { return 503; }`] : []),
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
    '        fastcgi_split_path_info ^(.+?\\.php)(/.*)$;',
    '        if (!-f $realpath_root$fastcgi_script_name) { return 404; }',
    `        include ${o.fastcgiParams ?? '/etc/nginx/fastcgi_params'};`,
    '        fastcgi_param SCRIPT_FILENAME $realpath_root$fastcgi_script_name;',
    '        fastcgi_param DOCUMENT_ROOT $realpath_root;',
    '        fastcgi_param PATH_INFO $fastcgi_path_info;',
    '        fastcgi_param HTTPS on;',
    // Apache passes its ServerAdmin, nginx nothing: main.inc.php reads $_SERVER["SERVER_ADMIN"] unguarded when it
    // prints the first-ping script on index.php, a PHP warning in the error log of every fresh install otherwise
    `        fastcgi_param SERVER_ADMIN webmaster@${o.domain};`,
    ...hideUpstream,
    `        fastcgi_pass unix:${o.fpmSocket};`,
    '    }',
    '}',
    '',
  ].join('\n');
}
