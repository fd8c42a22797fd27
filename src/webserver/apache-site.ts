import { securityHeaders } from './security-headers.js';
import { httpsRedirectTarget, type SiteOptions } from './site-options.js';

/**
 * An Apache 2.4 site for Dolibarr (needs mod_ssl, mod_headers, mod_proxy_fcgi, mod_alias): HTTP -> HTTPS,
 * TLS, security headers (Dolibarr's own copies unset first so each appears once), denied paths, PHP via PHP-FPM.
 */
export function renderApacheSite(o: SiteOptions): string {
  const headers = securityHeaders();
  const setHeaders = headers.flatMap((h) => [
    `    Header unset ${h.name}`,
    `    Header always set ${h.name} "${h.value}"`,
  ]);
  const listen = o.apacheListen ? [`Listen ${o.httpPort}`, `Listen ${o.httpsPort}`, ''] : [];
  return [
    `# mokodeploy: Dolibarr site for ${o.domain} (${o.name})`,
    ...listen,
    `<VirtualHost *:${o.httpPort}>`,
    `    ServerName ${o.domain}`,
    `    Redirect permanent / ${httpsRedirectTarget(o)}/`,
    '</VirtualHost>',
    '',
    `<VirtualHost *:${o.httpsPort}>`,
    `    ServerName ${o.domain}`,
    `    DocumentRoot ${o.documentRoot}`,
    '    DirectoryIndex index.php',
    '    SSLEngine on',
    `    SSLCertificateFile ${o.certificateFile}`,
    `    SSLCertificateKeyFile ${o.keyFile}`,
    '    SSLProtocol -all +TLSv1.2 +TLSv1.3',
    `    LimitRequestBody ${(o.maxUploadMb ?? 64) * 1024 * 1024}`,
    ...setHeaders,
    ...(o.maintenanceFlag ? ['', '    # maintenance (issue 5): 503 while the flag file exists (mod_alias, status without URL)', `    <If "-f '${o.maintenanceFlag}'">`, '        RedirectMatch 503 ^/', '    </If>'] : []),
    '',
    `    <Directory ${o.documentRoot}>`,
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
    `        SetHandler "proxy:unix:${o.fpmSocket}|fcgi://localhost"`,
    '    </FilesMatch>',
    '    SetEnvIf Authorization "(.*)" HTTP_AUTHORIZATION=$1',
    '</VirtualHost>',
    '',
  ].join('\n');
}
