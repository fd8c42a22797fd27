import {
  apacheComment,
  apacheExprString,
  apacheHostname,
  apacheSocketPath,
  apachePath as path,
  apacheValue as v,
} from '../escape/apache.js';
import { cronByUrlPath } from './cron-by-url-path.js';
import { securityHeaders } from './security-headers.js';
import { checkedInt, httpsRedirectTarget, listenAddress, type SiteOptions } from './site-options.js';

/**
 * An Apache 2.4 site for Dolibarr (needs mod_ssl, mod_headers, mod_proxy_fcgi, mod_alias): HTTP -> HTTPS,
 * TLS, security headers (Dolibarr's own copies unset first so each appears once), denied paths, PHP via PHP-FPM.
 * Every value goes through the Apache escaper (src/escape/apache.ts), which throws rather than emit an unsafe one.
 */
export function renderApacheSite(o: SiteOptions): string {
  const headers = securityHeaders();
  const setHeaders = headers.flatMap((h) => [
    `    Header unset ${h.name}`,
    `    Header always set ${h.name} "${h.value}"`,
  ]);
  const domain = apacheHostname(o.domain);
  const [httpPort, httpsPort] = [port(o.httpPort), port(o.httpsPort)];
  const root = path(o.documentRoot, 'the document root');
  const bind = (p: string) => (o.listen ?? []).map((a) => listenAddress(a, p));
  const listen = o.apacheListen
    ? [
        ...[httpPort, httpsPort].flatMap((p) =>
          o.listen ? bind(p).map((b) => `Listen ${b}`) : [`Listen ${p}`],
        ),
        '',
      ]
    : [];
  const host = (p: string) => (o.listen ? bind(p).join(' ') : `*:${p}`);
  return [
    apacheComment(`mokodeploy: Dolibarr site for ${domain} (${o.name})`),
    ...listen,
    `<VirtualHost ${host(httpPort)}>`,
    `    ServerName ${domain}`,
    `    Redirect permanent / ${v(`${httpsRedirectTarget(o)}/`, 'the site domain')}`,
    '</VirtualHost>',
    '',
    `<VirtualHost ${host(httpsPort)}>`,
    `    ServerName ${domain}`,
    `    DocumentRoot ${root}`,
    '    DirectoryIndex index.php',
    '    SSLEngine on',
    `    SSLCertificateFile ${path(o.certificateFile, 'the certificate file')}`,
    `    SSLCertificateKeyFile ${path(o.keyFile, 'the key file')}`,
    '    SSLProtocol -all +TLSv1.2 +TLSv1.3',
    `    LimitRequestBody ${checkedInt((o.maxUploadMb ?? 64) * 1024 * 1024, 1, 2 ** 31 - 1, 'the upload size')}`,
    ...setHeaders,
    ...(o.maintenanceFlag
      ? [
          '',
          '    # maintenance (issue 5): 503 while the flag file exists (mod_alias, status without URL)',
          `    <If "-f ${apacheExprString(o.maintenanceFlag, 'the maintenance flag')}">`,
          '        RedirectMatch 503 ^/',
          '    </If>',
        ]
      : []),
    '',
    `    <Directory ${root}>`,
    '        Options -Indexes +FollowSymLinks',
    '        AllowOverride None',
    '        Require all granted',
    '    </Directory>',
    '',
    '    # never served: config, installer, dotfiles, dumps, logs, lock files',
    '    <LocationMatch "(^/(conf|install)/|/\\.|\\.(sql|log|lock|dist|example)$)">',
    '        Require all denied',
    '    </LocationMatch>',
    '',
    '    <FilesMatch "\\.php$">',
    `        SetHandler "proxy:unix:${apacheSocketPath(o.fpmSocket)}|fcgi://localhost"`,
    '    </FilesMatch>',
    '    SetEnvIf Authorization "(.*)" HTTP_AUTHORIZATION=$1',
    ...accessLog(o),
    '</VirtualHost>',
    '',
  ].join('\n');
}

const port = (n: number) => checkedInt(n, 1, 65535, 'a port');

/**
 * The site's access log (combined format written out: a bare config may not define `combined`) without the cron
 * page's requests: they carry CRON_KEY in the query string (a GET: src/steps/install/cron-by-url.ts).
 */
function accessLog(o: SiteOptions): string[] {
  if (!o.accessLog) return [];
  const page = cronByUrlPath.replace(/\./g, '\\.');
  return [
    '',
    '    # the scheduled-jobs page is called with CRON_KEY in its query string: never logged',
    `    SetEnvIf Request_URI "^${page}$" mokodeploy_nolog`,
    `    CustomLog ${path(o.accessLog, 'the access log')} "%h %l %u %t \\"%r\\" %>s %O \\"%{Referer}i\\" \\"%{User-Agent}i\\"" env=!mokodeploy_nolog`,
  ];
}
