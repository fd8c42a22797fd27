import { describe, expect, it } from 'vitest';
import { Secret } from '../../../src/core/secret.js';
import { configureCron } from '../../../src/steps/install/configure-cron.js';
import { createConfigDirs } from '../../../src/steps/install/create-config-dirs.js';
import { describeAction } from '../../../src/runner/describe.js';
import { curlConfigString } from '../../../src/escape/curl-config.js';
import { knownSecrets, testContext } from './install-context.js';

/** Issue 14 points 4 and 5, as data: what the steps would run (no server). */
describe('install:cron for a release without scripts/', () => {
  it('writes a 0600 curl config holding the key and a cron line that is only `curl -K FILE`', () => {
    const ctx = testContext({
      releaseHasCronScript: false,
      releaseHasCronPage: true,
      cronDir: '/etc/cron.d',
    });
    const actions = configureCron.plan(ctx);
    const key = knownSecrets['acme/cron-key']!;
    const [setKey, curl, cron] = actions;
    expect(describeAction(setKey!)).not.toContain(key);
    expect(curl).toMatchObject({ kind: 'write', file: { mode: 0o600, owner: 'www-data' } });
    if (curl?.kind !== 'write' || cron?.kind !== 'write') throw new Error('writes expected');
    const conf = (curl.file.content as Secret).reveal();
    expect(conf).toContain(`data = "securitykey=${key}&userlogin=admin"`);
    expect(conf).toMatch(/^get$/m); // a GET: main.inc.php's CSRF check refuses a POST without token (20.0.2)
    expect(conf).toMatch(
      /^url = "https:\/\/crm\.acme\.test(:\d+)?\/public\/cron\/cron_run_jobs_by_url\.php"$/m,
    );
    expect(conf).toMatch(/^resolve = "crm\.acme\.test:\d+:127\.0\.0\.1"$/m);
    expect(describeAction(curl)).toMatch(
      /cron-by-url\.curl \(mode 0600, www-data:www-data, \d+ bytes, secret\)/,
    );
    const line = String(cron.file.content)
      .split('\n')
      .find((l) => l.startsWith('*/5'));
    expect(line).toMatch(
      /^\*\/5 \* \* \* \* www-data curl -K \S+\/shared\/mokodeploy\/cron-by-url\.curl >\/dev\/null 2>&1$/,
    );
    expect(String(cron.file.content)).not.toContain(key);
    // with scripts/, the CLI runner as before
    expect(JSON.stringify(configureCron.plan(testContext({ releaseHasCronScript: true })))).toContain(
      'run-cron-jobs.php',
    );
  });

  it('curl config values are quoted; a newline (a second option) is refused', () => {
    expect(curlConfigString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(() => curlConfigString('x\nurl = "http://evil"')).toThrow(/curl config/);
  });
});

describe('install:config-dirs', () => {
  it('creates only the directories the plan names, as positional parameters, through sudo', () => {
    const ctx = testContext({}, {
      target: {
        host: 'local',
        root: '/srv/acme',
        dataRoot: '/srv/data',
        backupRoot: '/srv/b',
        cronDir: '/etc/cron.moko/',
        webConfigDir: '/etc/nginx/moko-sites',
        phpFpmPoolDir: '/etc/php/pools',
      },
    } as never);
    const [a] = createConfigDirs.plan(ctx);
    expect(a).toMatchObject({ kind: 'run', command: { sudo: true } });
    if (a?.kind !== 'run') throw new Error('run expected');
    expect(a.command.argv.slice(4)).toEqual(['/etc/cron.moko', '/etc/php/pools', '/etc/nginx/moko-sites']);
    expect(a.command.argv[2]).not.toContain('/etc/');
    expect(
      createConfigDirs.plan(
        testContext({}, {
          target: { host: 'local', root: '/srv/acme', dataRoot: '/srv/data', backupRoot: '/srv/b' },
        } as never),
      ),
    ).toEqual([]);
  });
});
