import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
  chmodSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sqlCommand } from '../../src/checks/db-client.js';
import type { CheckContext } from '../../src/checks/finding.js';
import { MokoError } from '../../src/core/errors.js';
import { planSchema, type Plan } from '../../src/core/plan.js';
import { Secret } from '../../src/core/secret.js';
import { LocalHost } from '../../src/hosts/local.js';
import { writeDefaultsFile } from '../../src/migrate/target.js';
import { userGuide } from '../../src/reports/procedures.js';
import { adminConnection } from '../../src/steps/install/create-database.js';
import { renderCronFile } from '../../src/steps/install/configure-cron.js';
import { lockConf } from '../../src/steps/install/write-conf.js';
import type { Action } from '../../src/steps/step.js';
import { cachingCheck } from '../../src/verify/checks/caching.js';
import type { VerifyContext } from '../../src/verify/context.js';
import { renderCron } from '../../src/verify/hypercare.js';
import { renderApacheSite } from '../../src/webserver/apache-site.js';
import { renderNginxSite } from '../../src/webserver/nginx-site.js';
import { renderPhpFpmPool } from '../../src/webserver/php-fpm-pool.js';
import { makeTempDir, removeDir } from '../helpers/services/index.js';
import { benignPlan } from '../helpers/hostile/plan.js';
import { testContext } from '../unit/steps/install-context.js';

/**
 * Issue 12: each reproduction of the issue as a regression test. Each value is refused by the plan schema and,
 * given to the renderer anyway (a plan built in code, a later schema change), the renderer throws or escapes it.
 */
const dir = makeTempDir('hostile-repro');
afterAll(() => removeDir(dir));

const base = testContext().plan;
/** The plan as code could build it, past the schema: the renderer is the last wall. */
const unchecked = (patch: (p: Plan) => void): Plan => {
  const p = structuredClone(base);
  patch(p);
  return p;
};
const refusedBySchema = (patch: (p: Plan) => void) => !planSchema.safeParse(unchecked(patch)).success;
const inputErrorOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof MokoError && e.kind === 'input' ? e : undefined;
  }
  return undefined;
};
const optionNames = (text: string) => {
  const file = join(dir, `o-${Math.random().toString(36).slice(2)}.cnf`);
  writeFileSync(file, text);
  return execFileSync('my_print_defaults', [`--defaults-file=${file}`, 'client'], { encoding: 'utf8' })
    .split('\n')
    .flatMap((l) => /^--([a-z_-]+)=/.exec(l)?.[1] ?? []);
};

describe('issue 12 reproductions', () => {
  it('cron: a newline in target.root cannot add a root job to the install cron file', () => {
    const root = '/var/www/acme\n* * * * * root touch /tmp/pwned\n#';
    expect(refusedBySchema((p) => (p.target.root = root))).toBe(true);
    const ctx = { ...testContext(), plan: unchecked((p) => (p.target.root = root)) };
    expect(inputErrorOf(() => renderCronFile(ctx))?.message).toMatch(
      /target.root cannot be written into a cron file/,
    );
  });

  it('cron: a newline in a person (hypercare --as) cannot add a root job to the hypercare cron file', () => {
    expect(refusedBySchema((p) => (p.people['technical-lead'] = 'tina\n* * * * * root id'))).toBe(true);
    const s = {
      id: 'acme',
      start: new Date(0),
      days: 2,
      at: '08:00',
      env: {},
      user: 'root',
      log: '/var/log/h.log',
    };
    expect(
      inputErrorOf(() => renderCron({ ...s, argv: ['mokodeploy', '--as', 'tina\n* * * * * root id'] })),
    ).toBeDefined();
    expect(renderCron({ ...s, argv: ['mokodeploy', '--as', 'tina%'] })).toContain('--as tina\\%');
  });

  it('verify caching: target.phpFpmPoolDir is a positional parameter, never shell text', async () => {
    const pwned = join(dir, 'pwned');
    const poolDir = `${dir}/pool; touch ${pwned}; #`;
    expect(refusedBySchema((p) => (p.target.phpFpmPoolDir = poolDir))).toBe(true);
    const ctx = {
      plan: unchecked((p) => (p.target.phpFpmPoolDir = poolDir)),
      host: new LocalHost(),
    } as unknown as VerifyContext;
    await cachingCheck.run(ctx);
    expect(existsSync(pwned)).toBe(false);
  });

  it('nginx and Apache: site.domain cannot open a location serving /etc', () => {
    const domain = 'crm.acme.test; location ~ ^/etc/ { root /; autoindex on; } #';
    expect(refusedBySchema((p) => (p.site.domain = domain))).toBe(true);
    const site = {
      name: 'acme',
      domain,
      httpPort: 80,
      httpsPort: 443,
      documentRoot: '/var/www/acme/current/htdocs',
      certificateFile: '/etc/ssl/a.pem',
      keyFile: '/etc/ssl/a.key',
      fpmSocket: '/run/php/a.sock',
    };
    expect(inputErrorOf(() => renderNginxSite(site))).toBeDefined();
    expect(inputErrorOf(() => renderApacheSite(site))).toBeDefined();
    expect(
      inputErrorOf(() =>
        renderNginxSite({ ...site, domain: 'crm.acme.test', documentRoot: '/x;\n location / {' }),
      ),
    ).toBeDefined();
  });

  it('PHP-FPM: a newline in the socket cannot add php_admin_value[auto_prepend_file] to the pool', () => {
    const socket = '/run/php/a.sock\nphp_admin_value[auto_prepend_file] = /tmp/evil.php';
    expect(refusedBySchema((p) => (p.target.phpFpmSocket = socket))).toBe(true);
    const pool = {
      name: 'mokocrm-acme',
      user: 'www-data',
      group: 'www-data',
      listenOwner: 'www-data',
      listenGroup: 'www-data',
    };
    expect(inputErrorOf(() => renderPhpFpmPool({ ...pool, socket }))?.message).toMatch(/PHP-FPM ini/);
  });

  it('install: a newline in database.admin.user stays in the user of the root-run option file (no init-command)', () => {
    const user = 'admin\ninit-command=DROP DATABASE mysql';
    expect(refusedBySchema((p) => (p.database.admin = { user, password: { secret: 'acme/dbadmin' } }))).toBe(
      true,
    );
    const ctx = {
      ...testContext(),
      plan: unchecked((p) => (p.database.admin = { user, password: { secret: 'acme/dbadmin' } })),
    };
    const write = adminConnection(ctx).before[0] as Extract<Action, { kind: 'write' }>;
    const text = (write.file.content as Secret).reveal();
    expect(optionNames(text)).toEqual(['user', 'password']);
  });

  it('checks: the admin password goes into the option file escaped (a # or newline stays in the password)', () => {
    const plan = unchecked((p) => (p.database.admin = { user: 'dbadmin', password: { secret: 'x' } }));
    const ctx = {
      plan,
      secret: () => new Secret('pa#ss\ninit-command=DROP DATABASE mysql'),
    } as unknown as CheckContext;
    const stdin = sqlCommand(ctx, 'SELECT 1').stdin as string;
    expect(optionNames(stdin)).toEqual(['password']);
    const file = join(dir, 'pw.cnf');
    writeFileSync(file, stdin);
    expect(
      execFileSync('my_print_defaults', [`--defaults-file=${file}`, 'client'], { encoding: 'utf8' }),
    ).toBe('--password=pa#ss\ninit-command=DROP DATABASE mysql\n');
  });

  it('migrate: a newline in the target user cannot add --result-file to the option file', () => {
    const f = writeDefaultsFile({
      host: '127.0.0.1',
      port: 3306,
      database: 'x',
      user: 'u\nresult-file=/etc/cron.d/evil',
      password: new Secret('p"\\#'),
      prefix: 'llx_',
    } as Parameters<typeof writeDefaultsFile>[0]);
    try {
      expect(optionNames(readFileSync(f.path, 'utf8'))).toEqual([
        'user',
        'password',
        'host',
        'port',
        'protocol',
      ]);
    } finally {
      f.remove();
    }
  });

  it('reports: a javascript: site.url is refused by the plan and never rendered as a link', () => {
    expect(refusedBySchema((p) => (p.site.url = 'javascript:alert(document.cookie)'))).toBe(true);
    const html = userGuide(unchecked((p) => (p.site.url = 'javascript:alert(document.cookie)')));
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain('javascript:alert(document.cookie)');
    expect(userGuide(base)).toContain('<a href="https://crm.acme.test">');
  });

  it('the root find over the data root never follows or chmods a link the web user planted', () => {
    const data = join(dir, 'documents');
    const outside = join(dir, 'outside.conf');
    mkdirSync(data, { recursive: true });
    writeFileSync(outside, 'root-owned target\n');
    chmodSync(outside, 0o666); // stands for a file the link points at: must keep its mode
    symlinkSync(outside, join(data, 'planted-link'));
    writeFileSync(join(data, '.htaccess'), 'x');
    chmodSync(join(data, '.htaccess'), 0o666);
    const ctx = { ...testContext(), plan: unchecked((p) => (p.target.dataRoot = data)) };
    const find = lockConf.plan(ctx).find((a) => a.kind === 'run' && a.command.argv[0] === 'find') as Extract<
      Action,
      { kind: 'run' }
    >;
    execFileSync(find.command.argv[0]!, find.command.argv.slice(1));
    expect(statSync(join(data, '.htaccess')).mode & 0o777).toBe(0o664);
    expect(statSync(outside).mode & 0o777).toBe(0o666);
  });

  it('integrations: an email collector filter value cannot put markup on the collector card (printed raw by Dolibarr)', () => {
    // admin/emailcollector_card.php l.718 (20.0.2): print '<td>'.$rulefilter['rulevalue'].'</td>'; Dolibarr's own
    // form strips tags (GETPOST 'alpha'), the collector step writes the plan's value directly
    const input = benignPlan(dir) as { integrations: { imap?: { filters: { value: string }[] } }[] };
    const imap = input.integrations.find((i) => i.imap)!.imap!;
    imap.filters[0]!.value = 'Support<img src=x onerror=alert(1)>';
    const r = planSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toMatch(/filters.*value|no < or >/);
    imap.filters[0]!.value = 'Support & Sales "urgent"';
    expect(planSchema.safeParse(input).success).toBe(true);
  });
});
