import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildFixtureRelease } from '../helpers/fixture-release/build.js';
import { prepareDeployTarget, type DeployTarget } from '../helpers/deploy-target.js';

vi.setConfig({ testTimeout: 900_000, hookTimeout: 300_000 });

/**
 * Issue 14 point 5: a release without scripts/ (like the public 20.0.2 tarball) is deployed; its scheduled
 * jobs run through htdocs/public/cron/cron_run_jobs_by_url.php (the fixture imitates that page, citing it),
 * called by `curl -K FILE` (a GET: a POST is refused by the CSRF check of main.inc.php) so the key is never in a
 * process list, a crontab or the access log; verify tells it ran.
 */
let t: DeployTarget;
const ok = (args: string[]) => {
  const r = t.ws.run(args, t.env);
  expect(r.code, `${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r;
};

beforeAll(async () => {
  t = await prepareDeployTarget({ host: 'local' });
  // the same version, rebuilt without scripts/, at the path the plan names; the plan's sha256 revised to it
  const fixture = buildFixtureRelease({ version: '20.0.2', withoutScripts: true }, join(t.ws.dir, 'release'));
  const file = join(t.ws.dir, 'plan.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/sha256: \S+/, `sha256: "${fixture.sha256}"`));
  ok(['plan', 'revise', t.id, 'plan.yaml', '--as', 'tina']);
  ok(['approve', t.id, '--as', 'dave']);
  ok(['ready', t.id, '--as', 'tina']);
  ok(['schedule', t.id, '--as', 'dave', '--client-approved-by', 'Jane Client']);
  const listing = spawnSync('tar', ['-tzf', fixture.tarball], { encoding: 'utf8' }).stdout;
  expect(listing).not.toContain('/scripts/');
  expect(listing).toContain('dolibarr-20.0.2/htdocs/public/cron/cron_run_jobs_by_url.php');
});

afterAll(async () => {
  await t?.stop();
});

describe('newcomer: a release without scripts/', { retry: 0 }, () => {
  it('the dry-run says the jobs run through the public cron page, the key never in argv', () => {
    const r = ok(['deploy', t.id, '--dry-run']);
    expect(r.stdout).toMatch(
      /^note: the release has no scripts\/: Dolibarr's scheduled jobs will run through htdocs\/public\/cron\/cron_run_jobs_by_url\.php, called by cron as `curl -K FILE`/,
    );
    expect(r.stdout).toMatch(
      /write \S+\/cron-by-url\.curl \(mode 0600, www-data:www-data, \d+ bytes, secret\)/,
    );
  });

  it('deploys; cron calls curl -K with a 0600 file; the page runs the jobs; verify tells it ran', async () => {
    ok(['deploy', t.id, '--as', 'tina']);
    const key = t.secrets().get('acme/cron-key').reveal();
    const cron = readFileSync(join(t.ws.dir, 'cron.d', 'mokocrm-acme'), 'utf8');
    const line = cron.split('\n').find((l) => l.startsWith('*/5'))!;
    const conf = join(t.ws.dir, 'www', 'acme', 'shared', 'mokodeploy', 'cron-by-url.curl');
    expect(line).toBe(`*/5 * * * * www-data curl -K ${conf} >/dev/null 2>&1`);
    expect(cron).not.toContain(key);
    const s = statSync(conf);
    expect(s.mode & 0o777).toBe(0o600);
    const text = readFileSync(conf, 'utf8');
    expect(text).toContain(`data = "securitykey=${key}&userlogin=admin"`);
    expect(text).toContain('/public/cron/cron_run_jobs_by_url.php"');
    // a GET (curl -G): the page does not define NOCSRFCHECK, and main.inc.php refuses a POST without a token
    expect(text).toMatch(/^get$/m);

    // run the cron line's command as cron would, against the served site: the page answers
    await t.serve();
    const run = spawnSync('sudo', ['-n', '-u', 'www-data', 'curl', '-K', conf], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const answer = join(t.ws.dir, 'lib', 'acme', 'documents', 'mokodeploy-cron-last-run.txt');
    expect(readFileSync(answer, 'utf8')).toBe('Result: No active jobs found.');
    // the same config without `get` (a POST, as before) is refused as on a new 20.0.2 (main.inc.php l.626)
    writeFileSync(conf, text.replace(/^get\n/m, ''));
    spawnSync('sudo', ['-n', '-u', 'www-data', 'curl', '-K', conf]);
    expect(readFileSync(answer, 'utf8')).toContain(
      'refused by CSRF protection in main.inc.php. Token not provided.',
    );
    writeFileSync(conf, text);
    // the key went in the query string, yet the access log never holds it (the site's exact location for the
    // page has access_log off), while it does log the site's other requests
    const home = spawnSync(
      'curl',
      [
        '-s',
        '-o',
        '/dev/null',
        '--cacert',
        t.engineOptions[3]!,
        '--resolve',
        `crm.acme.test:${httpsPort(text)}:127.0.0.1`,
        `${origin(text)}/index.php?probe=logged`,
      ],
      { encoding: 'utf8' },
    );
    expect(home.status, home.stderr).toBe(0);
    const log = readFileSync(t.accessLog, 'utf8');
    expect(log).toContain('GET /index.php?probe=logged');
    expect(log).not.toContain(key);
    expect(log).not.toContain('cron_run_jobs_by_url');

    // a wrong key is what the page says, and what verify would report
    writeFileSync(conf, text.replace(key, 'wrong'));
    spawnSync('sudo', ['-n', '-u', 'www-data', 'curl', '-K', conf]);
    expect(readFileSync(answer, 'utf8')).toBe('Securitykey is wrong.');
    writeFileSync(conf, text);
    spawnSync('sudo', ['-n', '-u', 'www-data', 'curl', '-K', conf]);

    // verify reads the scheduled run's answer
    const v = t.ws.run(
      ['--json', 'verify', t.id, '--as', 'tina', '--only', 'dolibarr-health', ...t.engineOptions.slice(0, 4)],
      t.env,
    );
    const cronResult =
      JSON.stringify(JSON.parse(v.stdout || '{}')).match(/"dolibarr\.cron"[^}]*\}/)?.[0] ?? v.stderr;
    expect(cronResult).toMatch(/"status":"pass"/);
    expect(cronResult).toMatch(/\(by URL\) ran \d+ min ago: Result: No active jobs found\./);
  });
});

/** The site's origin and HTTPS port, as the curl config names them. */
const origin = (conf: string) => new URL(/^url = "([^"]+)"$/m.exec(conf)![1]!).origin;
const httpsPort = (conf: string) => new URL(origin(conf)).port || '443';
