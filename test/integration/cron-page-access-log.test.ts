import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { renderApacheSite } from '../../src/webserver/apache-site.js';
import { startApacheWithSites } from '../helpers/install-stack/web-servers.js';
import { makeCertificate } from '../helpers/services/index.js';
import { freePort } from '../helpers/services/process.js';

vi.setConfig({ testTimeout: 120_000 });

/**
 * The cron line GETs htdocs/public/cron/cron_run_jobs_by_url.php with CRON_KEY in the query string (a POST is
 * refused by main.inc.php's CSRF check on 20.0.2): a real Apache with our site logs the site's requests but not
 * that page's (SetEnvIf Request_URI + CustomLog env=!). nginx: test/cli/newcomer-cron-url.test.ts.
 */
const dir = mkdtempSync(join(tmpdir(), 'moko-cron-log-'));
chmodSync(dir, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Apache site: the cron page is kept out of the access log', () => {
  it('logs another page, never the cron page nor its key', async () => {
    const cert = makeCertificate({ cn: 'crm.acme.test', dir: join(dir, 'tls') });
    const [httpPort, httpsPort] = [await freePort(), await freePort()];
    const root = join(dir, 'htdocs');
    mkdirSync(join(root, 'public', 'cron'), { recursive: true });
    writeFileSync(join(root, 'hello.txt'), 'hello');
    const sites = join(dir, 'sites');
    mkdirSync(sites, { recursive: true });
    mkdirSync(join(dir, 'apache'), { recursive: true });
    const accessLog = join(dir, 'access.log');
    writeFileSync(
      join(sites, 'acme.conf'),
      renderApacheSite({
        name: 'acme',
        domain: 'crm.acme.test',
        httpPort,
        httpsPort,
        listen: ['127.0.0.1'],
        documentRoot: root,
        certificateFile: cert.fullchainPath,
        keyFile: cert.keyPath,
        fpmSocket: join(dir, 'no-fpm.sock'), // PHP is not needed: the request is logged (or not) either way
        apacheListen: true,
        accessLog,
      }),
    );
    const apache = await startApacheWithSites(join(dir, 'apache'), sites, [httpPort, httpsPort]);
    try {
      const get = (path: string) =>
        execFileSync(
          'curl',
          [
            '-s',
            '-o',
            '/dev/null',
            '-w',
            '%{http_code}',
            '--cacert',
            cert.caPath,
            '--resolve',
            `crm.acme.test:${httpsPort}:127.0.0.1`,
            `https://crm.acme.test:${httpsPort}${path}`,
          ],
          { encoding: 'utf8' },
        );
      expect(get('/hello.txt?probe=logged')).toBe('200');
      get('/public/cron/cron_run_jobs_by_url.php?securitykey=SeCrEtKeY123&userlogin=admin');
    } finally {
      await apache.stop();
    }
    const log = readFileSync(accessLog, 'utf8');
    expect(log).toMatch(/"GET \/hello\.txt\?probe=logged HTTP\/1\.1" 200 /);
    expect(log).not.toContain('SeCrEtKeY123');
  });
});
