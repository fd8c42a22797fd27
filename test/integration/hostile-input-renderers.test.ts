import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MokoError } from '../../src/core/errors.js';
import { Secret } from '../../src/core/secret.js';
import { renderConfPhp, type ConfPhp } from '../../src/dolibarr/conf-php.js';
import { renderCronFile } from '../../src/steps/install/configure-cron.js';
import { renderApacheSite } from '../../src/webserver/apache-site.js';
import { renderNginxSite } from '../../src/webserver/nginx-site.js';
import { renderPhpFpmPool, type PoolOptions } from '../../src/webserver/php-fpm-pool.js';
import type { SiteOptions } from '../../src/webserver/site-options.js';
import { apacheTest, fpmTest, nginxTest, type BinaryResult } from '../helpers/hostile/binaries.js';
import { payloads } from '../helpers/hostile/plan.js';
import { shapeOf } from '../helpers/hostile/structure.js';
import { makeCertificate, makeTempDir, removeDir } from '../helpers/services/index.js';
import { testContext } from '../unit/steps/install-context.js';

/**
 * Issue 12, defence in depth: the renderers given hostile values directly, past the plan schema. Each value is
 * either refused by the renderer with an input error, or escaped so that the real reader (nginx -t, apache2 -t,
 * php-fpm8.2 -t, sh, PHP) sees the benign structure and exactly the value given.
 */
const dir = makeTempDir('hostile-render');
afterAll(() => removeDir(dir));
let site: SiteOptions;
const tried = { values: 0, refused: 0, escaped: 0 };

beforeAll(() => {
  const cert = makeCertificate({ cn: 'crm.acme.test' });
  mkdirSync(join(dir, 'tls'));
  copyFileSync(cert.fullchainPath, join(dir, 'tls/cert.pem'));
  copyFileSync(cert.keyPath, join(dir, 'tls/key.pem'));
  copyFileSync('/etc/nginx/fastcgi_params', join(dir, 'fastcgi_params'));
  site = {
    name: 'acme',
    domain: 'crm.acme.test',
    httpPort: 80,
    httpsPort: 443,
    documentRoot: join(dir, 'root/current/htdocs'),
    certificateFile: join(dir, 'tls/cert.pem'),
    keyFile: join(dir, 'tls/key.pem'),
    fpmSocket: join(dir, 'php.sock'),
    fastcgiParams: join(dir, 'fastcgi_params'),
    maintenanceFlag: join(dir, 'maintenance.on'),
    apacheListen: true,
  };
});
afterAll(() =>
  console.log(
    `hostile renderer values: ${tried.values} tried, ${tried.refused} refused, ${tried.escaped} escaped and checked`,
  ),
);

/** Render with a hostile value: undefined when the renderer refuses it (only as an input error). */
function attempt<T>(render: () => T): T | undefined {
  tried.values++;
  try {
    const out = render();
    tried.escaped++;
    return out;
  } catch (e) {
    if (!(e instanceof MokoError) || e.kind !== 'input') throw e;
    tried.refused++;
    return undefined;
  }
}

/** A file the server opens at config test must exist at the hostile path too (a copy of the benign one). */
function provide(from: string, to: string): void {
  if (existsSync(to)) return;
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}

const siteFields = [
  'name',
  'domain',
  'documentRoot',
  'certificateFile',
  'keyFile',
  'fpmSocket',
  'fastcgiParams',
  'maintenanceFlag',
] as const;
const opened = new Set(['certificateFile', 'keyFile', 'fastcgiParams']);

async function checkSites(
  kind: 'nginx' | 'apache',
  render: (o: SiteOptions) => string,
  test: (c: string, n: number) => Promise<BinaryResult>,
) {
  const benign = render(site);
  const benignShape = shapeOf({ name: kind, kind, content: benign });
  expect((await test(benign, 0)).ok).toBe(true);
  let n = 1;
  for (const field of siteFields)
    for (const [payload, make] of Object.entries(payloads)) {
      const value = make(site[field] as string);
      const text = attempt(() => render({ ...site, [field]: value }));
      if (text === undefined || text === benign) continue; // refused, or a field this server does not use
      if (opened.has(field)) provide(site[field] as string, value);
      const r = await test(text, n++);
      expect(r.ok, `${kind} ${field} / ${payload}: ${r.output}\n${text}`).toBe(true);
      expect(shapeOf({ name: kind, kind, content: text }), `${field} / ${payload}`).toBe(benignShape);
    }
  const listening = render({ ...site, listen: ['127.0.0.1'] });
  expect((await test(listening, n++)).ok).toBe(true);
  for (const [payload, make] of Object.entries(payloads)) {
    const text = attempt(() => render({ ...site, listen: [make('127.0.0.1')] }));
    if (text === undefined) continue;
    expect((await test(text, n++)).ok, `listen / ${payload}`).toBe(true);
    expect(shapeOf({ name: kind, kind, content: text }), `listen / ${payload}`).toBe(
      shapeOf({ name: kind, kind, content: listening }),
    );
  }
}

describe('renderers given hostile values (issue 12, defence in depth)', () => {
  it('nginx: every site value is refused or quoted so nginx -t passes with the benign directives', async () => {
    await checkSites('nginx', renderNginxSite, (c, n) => nginxTest(dir, c, n));
  });

  it('Apache: every site value is refused or quoted so apache2 -t passes with the benign directives', async () => {
    await checkSites('apache', renderApacheSite, (c, n) => apacheTest(dir, c, n + 1000));
  });

  it('PHP-FPM: every pool value is refused or passes php-fpm -t with the benign keys', async () => {
    const pool: PoolOptions = {
      name: 'mokocrm-acme',
      user: 'www-data',
      group: 'www-data',
      socket: join(dir, 'php.sock'),
      listenOwner: 'www-data',
      listenGroup: 'www-data',
      errorLog: join(dir, 'fpm-error.log'),
    };
    const benign = renderPhpFpmPool(pool);
    const shape = (content: string) => shapeOf({ name: 'pool', kind: 'pool', content });
    expect((await fpmTest(dir, benign, 0)).ok).toBe(true);
    let n = 1;
    for (const field of [
      'name',
      'user',
      'group',
      'socket',
      'listenOwner',
      'listenGroup',
      'errorLog',
    ] as const)
      for (const [payload, make] of Object.entries(payloads)) {
        const text = attempt(() => renderPhpFpmPool({ ...pool, [field]: make(pool[field]!) }));
        if (text === undefined) continue;
        const r = await fpmTest(dir, text, n++);
        expect(r.ok, `${field} / ${payload}: ${r.output}`).toBe(true);
        expect(shape(text), `${field} / ${payload}`).toBe(shape(benign));
      }
  });

  it('cron: the job line keeps its fields and sh hands the command exactly its words (cron % rules applied)', () => {
    const words: string[][] = [];
    const lines: string[] = [];
    for (const [field, benign] of [
      ['phpBinary', 'php'],
      ['root', '/var/www/mokocrm/acme'],
    ] as const)
      for (const [payload, make] of Object.entries(payloads)) {
        const value = make(benign);
        const base = testContext(field === 'phpBinary' ? { phpBinary: value } : {});
        const ctx =
          field === 'root'
            ? { ...base, plan: { ...base.plan, target: { ...base.plan.target, root: value } } }
            : base;
        const text = attempt(() => renderCronFile(ctx));
        if (text === undefined) continue;
        const job = text.split('\n').filter((l) => /^\*\/5 /.test(l));
        expect(job.length, `${field} / ${payload}`).toBe(1);
        expect(text.split('\n').length, `${field} / ${payload}`).toBe(
          renderCronFile(testContext()).split('\n').length,
        );
        expect(job[0]!.split(' ').slice(0, 6).join(' ')).toBe('*/5 * * * * www-data');
        lines.push(job[0]!.split(' ').slice(6).join(' '));
        const php = field === 'phpBinary' ? value : 'php';
        const root = field === 'root' ? value : '/var/www/mokocrm/acme';
        words.push([
          php,
          join(root, 'shared/mokodeploy/run-cron-jobs.php'),
          join(root, 'current'),
          'firstadmin',
        ]); // the layout normalises ..
      }
    expect(lines.length).toBeGreaterThan(5);
    // what cron does with the command (crontab(5): an unescaped % ends it, \% is a %), then the shell
    const commands = lines.map((l) =>
      l
        .replace(/ >\/dev\/null 2>&1$/, '')
        .replace(/(?<!\\)%.*$/, '')
        .replace(/\\%/g, '%'),
    );
    const script = commands.map((c) => `printf '%s\\0' ${c}; printf '\\n'`).join('\n');
    const out = execFileSync('sh', ['-c', script], { encoding: 'utf8' }).split('\n').slice(0, -1);
    expect(out.map((o) => o.split('\0').slice(0, -1))).toEqual(words);
  });

  it('conf.php: every value, whatever it holds, is read back by PHP exactly as given', () => {
    const conf: ConfPhp = {
      urlRoot: 'https://crm.acme.test',
      documentRoot: '/var/www/acme/current/htdocs',
      documentRootAlt: '/var/www/acme/current/htdocs/custom',
      dataRoot: '/var/lib/acme/documents',
      db: {
        type: 'mysqli',
        host: 'localhost',
        port: 3306,
        name: 'acme',
        prefix: 'llx_',
        user: 'acme',
        password: new Secret('pw'),
        characterSet: 'utf8mb4',
        collation: 'utf8mb4_unicode_ci',
      },
      instanceUniqueId: new Secret('id'),
      prod: true,
      forceHttps: true,
    };
    const cases: { file: string; variable: string; value: string }[] = [];
    const set = (c: ConfPhp, key: string, v: string): ConfPhp => {
      if (key === 'password') return { ...c, db: { ...c.db, password: new Secret(v) } };
      if (key === 'instanceUniqueId') return { ...c, instanceUniqueId: new Secret(v) };
      if (key.startsWith('db.')) return { ...c, db: { ...c.db, [key.slice(3)]: v } };
      return { ...c, [key]: v };
    };
    const fields: [string, string][] = [
      ['urlRoot', 'dolibarr_main_url_root'],
      ['documentRoot', 'dolibarr_main_document_root'],
      ['dataRoot', 'dolibarr_main_data_root'],
      ['db.host', 'dolibarr_main_db_host'],
      ['db.name', 'dolibarr_main_db_name'],
      ['db.user', 'dolibarr_main_db_user'],
      ['password', 'dolibarr_main_db_pass'],
      ['instanceUniqueId', 'dolibarr_main_instance_unique_id'],
    ];
    for (const [key, variable] of fields)
      for (const make of [
        ...Object.values(payloads),
        (b: string) => `${b}\\'; system('id'); //`,
        (b: string) => `${b}?>`,
      ]) {
        const value = make('x');
        const text = attempt(() => renderConfPhp(set(conf, key, value)).reveal())!;
        const file = join(dir, `conf-${cases.length}.php`);
        writeFileSync(file, text);
        cases.push({ file, variable, value });
      }
    const script =
      'foreach (array_slice($argv, 1) as $f) { $r = (function ($f) { include $f; return get_defined_vars(); })($f); echo json_encode($r), "\\n"; }';
    const benignFile = join(dir, 'conf-benign.php');
    writeFileSync(benignFile, renderConfPhp(conf).reveal());
    const files = [benignFile, ...cases.map((c) => c.file)];
    const [first, ...out] = execFileSync('php', ['-r', script, '--', ...files], { encoding: 'utf8' })
      .trim()
      .split('\n');
    const benignCount = Object.keys(JSON.parse(first!) as object).filter((k) =>
      k.startsWith('dolibarr_'),
    ).length;
    expect(benignCount).toBeGreaterThan(20);
    expect(out.length).toBe(cases.length);
    for (const [i, c] of cases.entries()) {
      const vars = JSON.parse(out[i]!) as Record<string, string>;
      expect(vars[c.variable], `${c.variable} = ${JSON.stringify(c.value)}`).toBe(c.value);
      expect(Object.keys(vars).filter((k) => k.startsWith('dolibarr_')).length).toBe(benignCount);
    }
  });
});
