import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginThroughForm } from '../../src/dolibarr/login-form.js';
import { buildFixtureRelease } from '../helpers/fixture-release/build.js';
import { caOf, startInstallStack, type InstallStack } from '../helpers/install-stack/index.js';
import { inspectSite, securityHeaderNames } from '../helpers/install-stack/web-checks.js';

/** The same install served by Apache 2.4 from the site file our web-site step renders for Apache. */
let stack: InstallStack;
const out = mkdtempSync(join(tmpdir(), 'moko-fixture-apache-'));

beforeAll(async () => {
  const fixture = buildFixtureRelease({ version: '19.0.4' }, out);
  stack = await startInstallStack({
    release: fixture.tarball,
    version: fixture.version,
    sha256: fixture.sha256,
    webServer: 'apache',
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  execFileSync('rm', ['-rf', out]);
});

describe('fresh install served by Apache', () => {
  it('logs in through the form over HTTPS', async () => {
    const r = await loginThroughForm({
      url: stack.plan.site.url,
      login: 'admin',
      password: stack.secrets.secret('acme/admin'),
      address: '127.0.0.1',
      ca: caOf(stack),
    });
    expect(r.ok).toBe(true);
  });

  it('sends each security header once, redirects HTTP and denies the same paths as nginx', async () => {
    const site = await inspectSite(stack);
    expect(site.headerCounts).toEqual(Object.fromEntries(securityHeaderNames.map((n) => [n, 1])));
    expect(site.redirect).toEqual({
      status: 301,
      location: `https://crm.acme.test:${stack.httpsPort}/index.php`,
    });
    for (const [path, status] of Object.entries(site.denied)) expect([403, 404], path).toContain(status);
  });
});
