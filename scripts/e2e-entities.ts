/**
 * Multi-entity deployment on a real Dolibarr release with the real multicompany module (issue 18):
 *   npx tsx scripts/e2e-entities.ts --release /work/releases/dolibarr-20.0.2.tgz --module /work/releases/multicompany-18.0.7.tgz [--keep]
 * Installs the release with the module as a custom module (its own MariaDB, PHP-FPM, nginx on this machine),
 * runs the entity steps (src/steps/entities) for a plan with three entities (company, language, modules,
 * constants, logo and colour, one user each), then the isolation check (src/entities/isolation): each entity's
 * user in Chromium and through the REST API, and the admin switching entity. Prints every check and the timings.
 * Needs root and the packages of .ci/install.sh. Nothing of the release or the module is copied into the repository.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Plan } from '../src/core/plan.js';
import { verifyEntityIsolation } from '../src/entities/isolation/run.js';
import { entitiesPipeline } from '../src/steps/entities/index.js';
import type { StepContext } from '../src/steps/step.js';
import { caOf, startInstallStack } from '../test/helpers/install-stack/index.js';
import { runPipeline } from '../test/helpers/install-stack/run-pipeline.js';

const line = (label: string, text: string) => console.log(`${label.padEnd(12)} ${text}`);

/** A small solid PNG made by PHP's GD (the logo of an entity). */
function png(path: string, rgb: [number, number, number]): string {
  execFileSync('php', [
    '-r',
    '$i = imagecreatetruecolor(120, 60); imagefill($i, 0, 0, imagecolorallocate($i, (int) $argv[2], (int) $argv[3], (int) $argv[4])); imagepng($i, $argv[1]);',
    path,
    ...rgb.map(String),
  ]);
  execFileSync('chmod', ['0644', path]);
  return path;
}

const reader = ['societe.lire', 'societe.client.voir', 'societe.contact.lire', 'produit.lire'];

function entities(dir: string): Plan['entities'] {
  const user = (login: string, lastname: string) => ({
    login,
    lastname,
    admin: false,
    password: { secret: `acme/${login}` },
    rights: reader,
  });
  return [
    {
      id: 1,
      label: 'ACME France',
      modules: [],
      constants: [],
      branding: { logo: png(join(dir, 'logo-france.png'), [0, 85, 164]), topMenuColor: '#0055a4' },
      users: [user('frank', 'Dupont')],
    },
    {
      id: 2,
      label: 'ACME Belgium',
      company: { name: 'ACME Belgium SPRL', country: 'BE', town: 'Bruxelles', currency: 'EUR' },
      language: 'fr_BE',
      modules: ['modSociete', 'modProduct'],
      constants: [{ name: 'MAIN_SIZE_LISTE_LIMIT', value: '50' }],
      branding: { logo: png(join(dir, 'logo-belgium.png'), [253, 218, 36]), topMenuColor: '#b8860b' },
      users: [user('bob', 'Peeters')],
    },
    {
      id: 3,
      label: 'ACME Suisse',
      company: { name: 'ACME Suisse SA', country: 'CH', town: 'Genève', currency: 'CHF' },
      language: 'fr_CH',
      modules: ['modSociete', 'modProduct'],
      constants: [],
      branding: { topMenuColor: '#c8102e' },
      users: [user('chloe', 'Favre')],
    },
  ];
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      release: { type: 'string' },
      module: { type: 'string' },
      keep: { type: 'boolean', default: false },
      hold: { type: 'string' },
    },
  });
  const version = /dolibarr-(\d+\.\d+\.\d+)\.tgz$/.exec(basename(values.release ?? ''))?.[1];
  if (!values.release || !values.module || !version) {
    console.error(
      'usage: npx tsx scripts/e2e-entities.ts --release PATH/dolibarr-X.Y.Z.tgz --module PATH/multicompany.tgz [--keep] [--hold SECONDS]',
    );
    return 2;
  }
  line('release', `${values.release} (${version}); module ${values.module}`);
  const files = mkdtempSync(join(tmpdir(), 'moko-e2e-entities-'));
  execFileSync('chmod', ['0755', files]);
  const started = Date.now();
  const stack = await startInstallStack({
    release: values.release,
    version,
    keep: values.keep,
    mariadbArgs: ['--innodb-buffer-pool-size=256M', '--innodb-log-file-size=128M'],
    modules: ['modApi'],
    customModules: [{ name: 'multicompany', source: values.module }],
    skipCron: true,
  });
  try {
    line(
      'install',
      `${((Date.now() - started) / 1000).toFixed(1)} s (multicompany enabled by install:modules)`,
    );
    const ctx: StepContext = { ...stack.ctx, plan: { ...stack.plan, entities: entities(files) } };
    const t0 = Date.now();
    const timings = await runPipeline(stack.host, entitiesPipeline(), ctx);
    for (const t of timings) console.log(`  ${t.id.padEnd(24)} ${(t.ms / 1000).toFixed(2).padStart(7)} s`);
    line('entities', `${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const q = (sql: string) => stack.db.rootClient.query(sql);
    line(
      'llx_entity',
      (await q('SELECT rowid, label, active FROM acme_crm.llx_entity ORDER BY rowid'))
        .map((r) => r.join(':'))
        .join(', '),
    );
    line(
      'companies',
      (
        await q(
          "SELECT entity, name, value FROM acme_crm.llx_const WHERE name IN ('MAIN_INFO_SOCIETE_NOM', 'MAIN_MONNAIE', 'MAIN_LANG_DEFAULT') ORDER BY entity, name",
        )
      )
        .map((r) => r.join(' '))
        .join(' | '),
    );
    line(
      'users',
      (await q('SELECT login, entity FROM acme_crm.llx_user ORDER BY rowid'))
        .map((r) => r.join('@'))
        .join(', '),
    );
    const rerun = await runPipeline(stack.host, entitiesPipeline(), ctx);
    line('re-run', `${rerun.length} steps again without error`);
    const t1 = Date.now();
    const site = { url: stack.plan.site.url, address: '127.0.0.1', ca: caOf(stack) };
    const report = await verifyEntityIsolation(stack.host, ctx, site);
    for (const c of report.checks)
      console.log(
        `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.channel.padEnd(7)} e${c.entity}${c.other ? `/e${c.other}` : '   '} ${c.id.padEnd(28)} ${c.detail}`,
      );
    line(
      'isolation',
      `${report.checks.filter((c) => c.ok).length}/${report.checks.length} checks passed in ${((Date.now() - t1) / 1000).toFixed(1)} s`,
    );
    // negative control: entity 2's third party moved into entity 1 must make the checks fail (they can fail)
    const broken = await verifyEntityIsolation(stack.host, ctx, site, new Date(), async (markers) => {
      const m = markers.find((x) => x.entity === 2)!;
      await q(`UPDATE acme_crm.llx_societe SET entity = 1, code_client = CONCAT(code_client, '-moved') WHERE rowid = ${m.thirdparty}`);
    });
    const caught = broken.checks.filter((c) => !c.ok);
    for (const c of caught)
      console.log(
        `  caught   ${c.channel.padEnd(7)} e${c.entity}${c.other ? `/e${c.other}` : '   '} ${c.id.padEnd(28)} ${c.detail}`,
      );
    const expected = [
      'browser.third parties.list',
      'browser.third parties.card',
      'api.thirdparties.list',
      'api.thirdparties.by-id',
    ];
    const missed = expected.filter(
      (id) => !caught.some((c) => c.id === id && c.entity === 1 && c.other === 2),
    );
    line(
      'negative',
      `entity 2's third party moved into entity 1: ${caught.length} checks failed${missed.length ? `; NOT caught: ${missed.join(', ')}` : ', as they must'}`,
    );
    await q("DELETE FROM acme_crm.llx_societe WHERE nom LIKE 'mokodeploy isolation%'");
    const left = await q("SELECT COUNT(*) FROM acme_crm.llx_societe WHERE nom LIKE 'mokodeploy isolation%'");
    line('markers', `${String(left[0]?.[0])} left after the check`);
    line('total', `${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (values.hold) {
      // debugging: keep the site up; the passwords go to a 0600 file, never to the output
      const info = join(files, 'hold.json');
      const who = ['admin', 'frank', 'bob', 'chloe'];
      writeFileSync(
        info,
        JSON.stringify({
          url: stack.plan.site.url,
          ca: stack.cert.caPath,
          passwords: Object.fromEntries(who.map((w) => [w, stack.secrets.secret(`acme/${w}`).reveal()])),
        }),
        { mode: 0o600 },
      );
      line('hold', `${values.hold} s; site and passwords in ${info}`);
      await new Promise((r) => setTimeout(r, Number(values.hold) * 1000));
    }
    return report.ok && missed.length === 0 && !broken.ok ? 0 : 1;
  } finally {
    await stack.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(1);
  },
);
