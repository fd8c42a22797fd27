import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { renderNginxSite } from '../../src/webserver/nginx-site.js';
import { renderApacheSite } from '../../src/webserver/apache-site.js';
import type { SiteOptions } from '../../src/webserver/site-options.js';
import { startNginxWithSites } from '../helpers/install-stack/web-servers.js';
import { makeCertificate } from '../helpers/services/index.js';
import { freePort, portOpen } from '../helpers/services/process.js';
import { workspace } from '../helpers/cli.js';
import { planInput } from '../helpers/records.js';

vi.setConfig({ testTimeout: 120_000 });

/** Issue 14 point 7: site.listen binds the site to the plan's addresses, not every interface. */
const dir = mkdtempSync(join(tmpdir(), 'moko-listen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = (listen?: string[]): SiteOptions => ({
  name: 'acme',
  domain: 'crm.acme.test',
  httpPort: 80,
  httpsPort: 443,
  documentRoot: '/var/www/acme/current/htdocs',
  certificateFile: '/etc/ssl/acme.crt',
  keyFile: '/etc/ssl/acme.key',
  fpmSocket: '/run/php/acme.sock',
  ...(listen ? { listen } : {}),
});

describe('site.listen', () => {
  it('the plan refuses a name or a malformed address with the field and how to fix it', () => {
    const ws = workspace();
    const plan = (listen: unknown) =>
      stringify(planInput()).replace(
        '  url: https://crm.acme.test\n',
        `  url: https://crm.acme.test\n  listen: ${JSON.stringify(listen)}\n`,
      );
    ws.writePlan('bad.yaml', plan(['crm.acme.test', '10.0.0.300']));
    const r = ws.run(['plan', 'submit', 'bad.yaml', '--as', 'tina']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad.yaml:\d+:\d+ site.listen.0: must be an IP address/);
    expect(r.stderr).toMatch(/site.listen.1: must be an IP address/);
    ws.writePlan('ok.yaml', plan(['192.0.2.10', '2001:db8::1']));
    expect(ws.run(['plan', 'submit', 'ok.yaml', '--as', 'tina']).code).toBe(0);
  });

  it('nginx and Apache bind each address (IPv6 in brackets); none given: every interface as before', () => {
    const nginx = renderNginxSite(base(['192.0.2.10', '2001:db8::1']));
    expect(nginx).toContain('    listen 192.0.2.10:80;\n    listen [2001:db8::1]:80;\n');
    expect(nginx).toContain('    listen 192.0.2.10:443 ssl;\n    listen [2001:db8::1]:443 ssl;\n');
    expect(nginx).not.toMatch(/listen 443 ssl;/);
    expect(renderNginxSite(base())).toContain('    listen 443 ssl;');
    const apache = renderApacheSite({ ...base(['192.0.2.10', '2001:db8::1']), apacheListen: true });
    expect(apache).toContain('<VirtualHost 192.0.2.10:443 [2001:db8::1]:443>');
    expect(apache).toContain('Listen 192.0.2.10:443\nListen [2001:db8::1]:443');
    expect(renderApacheSite(base())).toContain('<VirtualHost *:443>');
    // a value that slipped past the plan (e.g. a newline) is refused by the renderer
    expect(() => renderNginxSite(base(['127.0.0.1;\n  listen 0.0.0.0']))).toThrow(/site.listen/);
  });

  it('real nginx answers on the listed address only', async () => {
    const [http, https] = [await freePort(), await freePort()];
    const cert = makeCertificate({ cn: 'crm.acme.test', dir: join(dir, 'tls') });
    const sites = join(dir, 'sites');
    mkdirSync(sites, { recursive: true });
    writeFileSync(
      join(sites, 'acme.conf'),
      renderNginxSite({
        ...base(['127.0.0.1']),
        httpPort: http,
        httpsPort: https,
        documentRoot: dir,
        certificateFile: cert.certPath,
        keyFile: cert.keyPath,
      }),
    );
    const nginx = await startNginxWithSites(join(dir, 'nginx'), sites, [http, https]);
    try {
      expect(await portOpen(https, '127.0.0.1')).toBe(true);
      expect(await portOpen(https, '127.0.0.2')).toBe(false); // another loopback address: not bound
      expect(await portOpen(http, '127.0.0.2')).toBe(false);
    } finally {
      await nginx.stop();
    }
  });
});
