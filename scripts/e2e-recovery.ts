/**
 * Issue 23 end to end with a real Dolibarr release, through the built CLI, both targets over real sshds as the non-root
 * deploy user:
 *   npx tsx scripts/e2e-recovery.ts --release /work/releases/dolibarr-20.0.2.tgz [--rows 2000]
 * Installs on server A, adds third parties and contacts and a document, backs up with `--offsite store,s3
 * --delete-target-copy` (loopback s3rver), then recovers onto server B (another sshd, root, database, backup root)
 * from the store copy: a byte changed in the stored dump and in the stored manifest each refused before any change;
 * then the intact copy; every table's CHECKSUM compared, cron/pool/site listed, the admin logs in with the backup's
 * password. Prints the figures. Needs root and the packages of .ci/install.sh; `npm run build` first.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { loginThroughForm } from '../src/dolibarr/login-form.js';
import { prepareDeployTarget } from '../test/helpers/deploy-target.js';
import {
  startFpmWithPools,
  startNginxWithSites,
  type Running,
} from '../test/helpers/install-stack/web-servers.js';
import { deployUser, ensureUser, freePort, sshTargetOf, startSshd } from '../test/helpers/services/index.js';
import { dirMaker, tempTargetPaths } from '../test/helpers/site-parts.js';
import { startLoopbackS3 } from '../test/helpers/s3.js';

/** The submitted plan file as YAML reads it (reused for the recovery plan). */
type PlanDoc = {
  database: { socket: string; name: string };
  target: { dataRoot: string } & Record<string, unknown>;
  site: Record<string, unknown>;
} & Record<string, unknown>;

const { values } = parseArgs({
  options: { release: { type: 'string' }, rows: { type: 'string', default: '2000' } },
});
if (!values.release) throw new Error('--release PATH of a dolibarr-X.Y.Z.tgz');
const version = /dolibarr-(\d+\.\d+\.\d+)\.tgz$/.exec(values.release)?.[1];
if (!version) throw new Error('the release file must be named dolibarr-X.Y.Z.tgz');
const sha256 = createHash('sha256').update(readFileSync(values.release)).digest('hex');
const rows = Number(values.rows);

const line = (label: string, text: string) => console.log(`${label.padEnd(16)} ${text}`);
const clock = () => {
  const t0 = Date.now();
  return () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
};

ensureUser(deployUser, { sudo: 'nopasswd' });
const [a, b, s3] = await Promise.all([
  startSshd({ users: [deployUser] }),
  startSshd({ users: [deployUser] }),
  startLoopbackS3(),
]);
const t = await prepareDeployTarget(sshTargetOf(a, deployUser), { version, tarball: values.release, sha256 });
const running: Running[] = [];
try {
  const env = { ...t.env, ...s3.env };
  const plan = parse(readFileSync(join(t.ws.dir, 'plan.yaml'), 'utf8')) as PlanDoc;
  const sql = (q: string) =>
    execFileSync(
      'mariadb',
      [
        '--no-defaults',
        `--socket=${plan.database.socket}`,
        '-uroot',
        '--batch',
        '--skip-column-names',
        '-e',
        q,
      ],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      },
    );
  const must = async (args: string[]) => {
    const r = await t.ws.runAsync(args, env);
    if (r.code !== 0) throw new Error(`${args.join(' ')}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    return r;
  };
  let time = clock();
  await must(['deploy', t.id, '--as', 'tina']);
  line('install A', `${version} over SSH as ${deployUser}: ${time()}`);
  const values2 = (n: number, f: (i: number) => string) =>
    Array.from({ length: n }, (_, i) => f(i)).join(',');
  sql(
    `INSERT INTO acme_crm.llx_societe (nom, client, code_client, datec) VALUES ('Paris Office', 1, 'CU9999', NOW()),${values2(rows, (i) => `('Client ${i}', 1, 'CX${i}', NOW())`)}`,
  );
  sql(
    `INSERT INTO acme_crm.llx_socpeople (lastname, firstname, fk_soc, fk_user_creat, datec) VALUES ${values2(rows, (i) => `('Contact ${i}', 'A', ${i + 1}, 1, NOW())`)}`,
  );
  const docs = join(plan.target.dataRoot, 'societe', '1');
  execFileSync('mkdir', ['-p', docs]);
  writeFileSync(join(docs, 'contract.pdf'), '%PDF-1.4 test document\n');
  line('data', `${rows + 1} third parties, ${rows} contacts, 1 document`);

  time = clock();
  const out = JSON.parse(
    (
      await must([
        '--json',
        'backup',
        t.id,
        '--as',
        'tina',
        '--offsite',
        'store,s3',
        '--delete-target-copy',
        ...t.engineOptions,
      ])
    ).stdout,
  );
  const stamp = String(out.backup).split('/').at(-1)!;
  line(
    'backup',
    `${stamp} in ${time()}; target copy ${existsSync(out.backup) ? 'KEPT' : 'deleted'}; ${out.copies.store ? 'store' : ''} ${out.copies.s3 ?? ''}`,
  );
  const store = join(t.ws.dir, '.mokodeploy', 'offsite');
  const index = JSON.parse(readFileSync(join(store, 'backups', 'acme', `${stamp}.json`), 'utf8'));
  const sizes = (index.files as { name: string; bytes: number }[]).map(
    (f) => `${f.name} ${(f.bytes / 1024).toFixed(0)} KiB`,
  );
  line('copied files', sizes.join(', '));
  line('backup list', (await must(['backup', 'list', t.id])).stdout.trim().split('\n').slice(1).join(' | '));

  const d = dirMaker(join(t.ws.dir, 'dr'));
  const [httpPort, httpsPort] = [await freePort(), await freePort()];
  const site = { url: `https://crm.acme.test:${httpsPort}`, httpPort, httpsPort };
  t.ws.writePlan('dr.yaml', {
    ...plan,
    id: 'acme-dr',
    kind: 'disaster-recovery',
    target: {
      ...plan.target,
      ...sshTargetOf(b, deployUser),
      ...tempTargetPaths(d),
      phpFpmSocket: join(d('run'), 'fpm-dr.sock'),
      cronDir: d('cron.d'),
    },
    site: { ...plan.site, ...site },
    database: { ...plan.database, name: 'acme_dr' },
    recovery: { backup: stamp },
  } as never);
  for (const args of [
    ['plan', 'submit', 'dr.yaml', '--as', 'tina'],
    ['approve', 'acme-dr', '--as', 'dave'],
    ['ready', 'acme-dr', '--as', 'tina'],
    ['schedule', 'acme-dr', '--as', 'dave', '--client-approved-by', 'Jane Client'],
  ])
    await must(args);

  const untouched = () =>
    sql("SHOW DATABASES LIKE 'acme_dr'").trim() === '' &&
    !existsSync(join(d('www'), 'acme', 'current')) &&
    readdirSync(d('backups')).length === 0;
  for (const name of ['database.sql', 'SHA256SUMS']) {
    const sha =
      name === 'SHA256SUMS'
        ? index.manifestSha256
        : index.files.find((f: { name: string }) => f.name === name).sha256;
    const path = join(store, 'blobs', `${sha}.sealed`);
    const good = readFileSync(path);
    const bad = Buffer.from(good);
    bad[Math.floor(bad.length / 2)]! ^= 1;
    writeFileSync(path, bad);
    time = clock();
    const r = await t.ws.runAsync(['deploy', 'acme-dr', '--as', 'tina'], env);
    writeFileSync(path, good);
    line(
      `tampered ${name}`,
      `exit ${r.code} in ${time()}, target untouched: ${untouched()}; ${(r.stderr.split('\n').find((l) => l.startsWith('error:')) ?? r.stderr.trim()).slice(0, 400)}`,
    );
  }

  time = clock();
  const r = await must(['deploy', 'acme-dr', '--as', 'tina']);
  line('recovery B', `${time()} (shipped from the store, over SSH as ${deployUser})`);
  line('admin', r.stdout.split('\n').find((l) => l.startsWith('admin login')) ?? '(no admin line)');
  const tables = sql(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'acme_crm' AND table_type = 'BASE TABLE'",
  )
    .split('\n')
    .filter(Boolean);
  const sum = (db: string, x: string) => sql(`CHECKSUM TABLE \`${db}\`.\`${x}\``).split('\t')[1]!.trim();
  const differ = tables.filter((x) => sum('acme_crm', x) !== sum('acme_dr', x));
  line(
    'tables',
    `${tables.length} tables, CHECKSUM TABLE differs on ${differ.length}${differ.length ? `: ${differ.join(', ')}` : ''}`,
  );
  const doc = join(d('lib'), 'acme', 'documents', 'societe', '1', 'contract.pdf');
  line(
    'document',
    existsSync(doc)
      ? `${statSync(doc).size} bytes, equal: ${readFileSync(doc, 'utf8') === '%PDF-1.4 test document\n'}`
      : 'MISSING',
  );
  line(
    'cron/pool/site',
    `${readdirSync(d('cron.d')).join(' ')} | ${readdirSync(d('pool.d')).join(' ')} | ${readdirSync(d('sites')).join(' ')}`,
  );
  running.push(await startFpmWithPools(d('fpm'), d('pool.d'), join(d('run'), 'fpm-dr.sock')));
  running.push(await startNginxWithSites(d('nginx'), d('sites'), [httpPort, httpsPort]));
  const ca = readFileSync(t.engineOptions[t.engineOptions.indexOf('--ca-file') + 1]!);
  const login = await loginThroughForm({
    url: site.url,
    login: 'admin',
    password: t.secrets().get('acme/admin'),
    address: '127.0.0.1',
    ca,
  });
  line(
    'login',
    `admin with the backup's password over HTTPS on B: ${login.ok ? 'ok' : `FAILED ${login.reason}`}`,
  );
} finally {
  for (const r of running.reverse()) await r.stop().catch(() => {});
  await t.stop();
  await Promise.all([a.stop(), b.stop(), s3.stop()]);
}
