import { describe, expect, it } from 'vitest';
import { renderApacheSite } from '../../../src/webserver/apache-site.js';
import { renderNginxSite } from '../../../src/webserver/nginx-site.js';
import { renderPhpFpmPool } from '../../../src/webserver/php-fpm-pool.js';
import { securityHeaders } from '../../../src/webserver/security-headers.js';
import type { SiteOptions } from '../../../src/webserver/site-options.js';

const site: SiteOptions = {
  name: 'acme',
  domain: 'crm.acme.test',
  httpPort: 80,
  httpsPort: 443,
  documentRoot: '/var/www/mokocrm/acme/current/htdocs',
  certificateFile: '/etc/ssl/acme-fullchain.pem',
  keyFile: '/etc/ssl/private/acme.key',
  fpmSocket: '/run/php/mokocrm-acme.sock',
};

describe('security headers', () => {
  it('covers HSTS, CSP with frame-ancestors, X-Frame-Options, nosniff, Referrer-Policy, Permissions-Policy', () => {
    expect(securityHeaders().map((h) => h.name)).toEqual([
      'Strict-Transport-Security',
      'Content-Security-Policy',
      'X-Frame-Options',
      'X-Content-Type-Options',
      'Referrer-Policy',
      'Permissions-Policy',
    ]);
  });
});

describe('renderNginxSite', () => {
  const text = renderNginxSite(site);
  it('redirects HTTP to HTTPS and serves TLS from the current release', () => {
    expect(text).toContain('listen 80;');
    expect(text).toContain('return 301 https://crm.acme.test$request_uri;');
    expect(text).toContain('listen 443 ssl;');
    expect(text).toContain('root /var/www/mokocrm/acme/current/htdocs;');
    expect(text).toContain('ssl_certificate /etc/ssl/acme-fullchain.pem;');
  });
  it("adds every header always and hides Dolibarr's own copies", () => {
    for (const h of securityHeaders()) {
      expect(text).toContain(`add_header ${h.name} "${h.value}" always;`);
      expect(text).toContain(`fastcgi_hide_header ${h.name};`);
    }
  });
  it('denies conf/, install/, dotfiles and sql/log/lock files, passes PHP with PATH_INFO on the real path', () => {
    expect(text).toContain('fastcgi_param SERVER_ADMIN webmaster@crm.acme.test;');
    expect(text).toContain('location ^~ /conf/ { deny all; }');
    expect(text).toContain('location ^~ /install/ { deny all; }');
    expect(text).toContain('location ~ /\\. { deny all; }');
    expect(text).toContain('location ~* \\.(sql|log|lock|dist|example)$ { deny all; }');
    expect(text).toContain('fastcgi_param SCRIPT_FILENAME $realpath_root$fastcgi_script_name;');
    expect(text).toContain('fastcgi_param PATH_INFO $fastcgi_path_info;');
    expect(text).toContain('fastcgi_pass unix:/run/php/mokocrm-acme.sock;');
  });
  it("keeps the cron page's requests (CRON_KEY in the query string) out of the access log, still passed to PHP", () => {
    const block =
      / {4}location = \/public\/cron\/cron_run_jobs_by_url\.php \{\n([\s\S]*?)\n {4}\}/.exec(text)?.[1] ?? '';
    expect(block).toMatch(/^ {8}access_log off;$/m);
    expect(block).toContain('fastcgi_pass unix:/run/php/mokocrm-acme.sock;');
    expect(block).toContain('fastcgi_param SCRIPT_FILENAME $realpath_root$fastcgi_script_name;');
  });
  it('keeps a non-standard HTTPS port in the redirect', () => {
    expect(renderNginxSite({ ...site, httpsPort: 8443 })).toContain(
      'return 301 https://crm.acme.test:8443$request_uri;',
    );
  });
});

describe('renderApacheSite', () => {
  const text = renderApacheSite(site);
  it('redirects, terminates TLS, sets headers once and denies the same paths', () => {
    expect(text).toContain('<VirtualHost *:80>');
    expect(text).toContain('Redirect permanent / https://crm.acme.test/');
    expect(text).toContain('SSLCertificateFile /etc/ssl/acme-fullchain.pem');
    expect(text).toContain('Header unset X-Frame-Options');
    expect(text).toContain('Header always set X-Frame-Options "SAMEORIGIN"');
    expect(text).toContain('<LocationMatch "(^/(conf|install)/|/\\.|\\.(sql|log|lock|dist|example)$)">');
    expect(text).toContain('SetHandler "proxy:unix:/run/php/mokocrm-acme.sock|fcgi://localhost"');
    expect(text).not.toContain('Listen ');
    expect(renderApacheSite({ ...site, apacheListen: true })).toContain('Listen 443');
  });
  it("logs to the site's access log, without the cron page's requests (CRON_KEY in the query string)", () => {
    const logged = renderApacheSite({ ...site, accessLog: '/var/log/apache2/mokocrm-acme-access.log' });
    expect(logged).toContain(
      '    SetEnvIf Request_URI "^/public/cron/cron_run_jobs_by_url\\.php$" mokodeploy_nolog',
    );
    expect(logged).toMatch(
      /^ {4}CustomLog \/var\/log\/apache2\/mokocrm-acme-access\.log ".*" env=!mokodeploy_nolog$/m,
    );
  });
});

describe('renderPhpFpmPool', () => {
  it('runs as the web user on its own socket with hardened settings', () => {
    const text = renderPhpFpmPool({
      name: 'mokocrm-acme',
      user: 'www-data',
      group: 'www-data',
      socket: '/run/php/mokocrm-acme.sock',
      listenOwner: 'www-data',
      listenGroup: 'www-data',
    });
    expect(text).toContain('[mokocrm-acme]');
    expect(text).toContain('listen = /run/php/mokocrm-acme.sock');
    expect(text).toContain('listen.mode = 0660');
    expect(text).toContain('php_admin_flag[allow_url_fopen] = off');
    expect(text).toContain('php_admin_value[session.use_strict_mode] = 1');
  });
});
