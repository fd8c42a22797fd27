import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { withDefaults, type FixtureOptions } from './options.js';
import { confPhpExample, filefuncIncPhp, functionsLibPhp, masterIncPhp, mysqliClassPhp, versionIncPhp } from './php-core.js';
import { installIncPhp, step1Php, step2Php, step5Php, upgrade2Php, upgradePhp } from './php-install.js';
import { adminLibPhp, coreModulePhp, dolibarrModulesClassPhp, userClassPhp } from './php-modules.js';
import { adminIndexPhp, cronRunJobsPhp, indexPhp, logoutPhp, mainIncPhp } from './php-web.js';
import { data, migrations, tables } from './sql.js';
import { customModuleDescriptorPhp } from './custom-module.js';
import { fileListXml } from './filelist.js';
import { apiDocumentsPhp, apiIndexPhp, apiObjectsPhp } from './php-api.js';
import { apiRightsPhp } from './php-api-rights.js';
import { apiProposalsPhp, factureKeySql, factureTableSql, propalKeySql, propalTableSql } from './php-reports.js';
import { cardFiles } from './php-cards.js';
import { entityClassFiles } from './php-entities.js';
import { cronRunJobsByUrlPhp } from './php-cron-url.js';
import { integrationFiles } from './php-integrations.js';
import { webhookFiles } from './php-webhook.js';
import { cMailFilePhp, contactListPhp, documentPhp, exportPhp, productListPhp, societeListPhp } from './php-lists.js';

/**
 * Generate a small tarball dolibarr-X.Y.Z.tgz that follows Dolibarr's release layout and install contract
 * (top directory dolibarr-X.Y.Z/, htdocs/ web root, scripts/, install pages with the same CLI arguments),
 * so CI, which cannot download Dolibarr, can install it. Written fresh: it contains no Dolibarr code.
 */
export interface FixtureRelease {
  version: string;
  tarball: string;
  sha256: string;
}

export function fixtureFiles(options: FixtureOptions): Record<string, string> {
  const o = withDefaults(options);
  const files: Record<string, string> = {
    'COPYING': 'Fixture release for mokodeploy tests (not Dolibarr).\n',
    'htdocs/filefunc.inc.php': filefuncIncPhp(o),
    'htdocs/master.inc.php': masterIncPhp(),
    'htdocs/main.inc.php': mainIncPhp(),
    'htdocs/index.php': indexPhp(),
    'htdocs/admin/index.php': adminIndexPhp(),
    'htdocs/user/logout.php': logoutPhp(),
    'htdocs/user/class/user.class.php': userClassPhp(),
    'htdocs/conf/conf.php.example': confPhpExample(),
    'htdocs/core/db/mysqli.class.php': mysqliClassPhp(),
    'htdocs/core/lib/functions.lib.php': functionsLibPhp(),
    'htdocs/core/lib/admin.lib.php': adminLibPhp(),
    'htdocs/core/modules/DolibarrModules.class.php': dolibarrModulesClassPhp(),
    'htdocs/core/modules/modUser.class.php': coreModulePhp('modUser', 0, [[251, 'Read users', 'user', 'lire'], [252, 'Create users', 'user', 'creer']]),
    'htdocs/core/modules/modAgenda.class.php': coreModulePhp('modAgenda', 2400, [[2401, 'Read events', 'myactions']], true),
    'htdocs/core/modules/modSociete.class.php': coreModulePhp('modSociete', 1, [[121, 'Read third parties', 'lire'], [122, 'Create third parties', 'creer']]),
    'htdocs/core/modules/modProduct.class.php': coreModulePhp('modProduct', 50, [[31, 'Read products', 'lire']]),
    'htdocs/core/modules/modCron.class.php': coreModulePhp('modCron', 2300, [[23001, 'Read jobs', 'read']]),
    'htdocs/core/modules/modApi.class.php': coreModulePhp('modApi', 2610, []),
    'htdocs/core/modules/modFacture.class.php': coreModulePhp('modFacture', 30, [[11, 'Read invoices', 'lire'], [12, 'Create invoices', 'creer'], [14, 'Delete invoices', 'supprimer']]),
    'htdocs/core/modules/modPropale.class.php': coreModulePhp('modPropale', 20, [[21, 'Read proposals', 'lire'], [22, 'Create proposals', 'creer'], [27, 'Delete proposals', 'supprimer']]),
    'htdocs/custom/README.md': 'Put custom modules here (htdocs/custom/<module>/core/modules/mod<Name>.class.php).\n',
    // the custom module template, as htdocs/modulebuilder/template/core/modules/modMyModule.class.php
    'htdocs/modulebuilder/template/core/modules/modMyModule.class.php': customModuleDescriptorPhp({ name: 'mymodule', className: 'modMyModule', numero: 500000 }),
    'htdocs/install/inc.php': installIncPhp(),
    'htdocs/install/step1.php': step1Php(o.version),
    'htdocs/install/step2.php': step2Php(),
    'htdocs/install/step5.php': step5Php(),
    'htdocs/install/upgrade.php': upgradePhp(),
    'htdocs/install/upgrade2.php': upgrade2Php(),
    'scripts/cron/cron_run_jobs.php': cronRunJobsPhp(),
    // verification (issue 6): REST API, list pages with search, export wizard, document.php, mail
    'htdocs/api/index.php': apiIndexPhp(),
    'htdocs/api/fixture_objects.php': apiObjectsPhp(),
    'htdocs/api/fixture_documents.php': apiDocumentsPhp(),
    'htdocs/api/fixture_rights.php': apiRightsPhp(),
    'htdocs/api/fixture_proposals.php': apiProposalsPhp(),
    'htdocs/install/mysql/tables/llx_propal.sql': `${propalTableSql}\n`,
    'htdocs/install/mysql/tables/llx_propal.key.sql': `${propalKeySql}\n`,
    'htdocs/install/mysql/tables/llx_facture.sql': `${factureTableSql}\n`,
    'htdocs/install/mysql/tables/llx_facture.key.sql': `${factureKeySql}\n`,
    'htdocs/societe/list.php': societeListPhp(),
    'htdocs/contact/list.php': contactListPhp(),
    'htdocs/product/list.php': productListPhp(),
    'htdocs/exports/export.php': exportPhp(),
    'htdocs/document.php': documentPhp(),
    'htdocs/core/class/CMailFile.class.php': cMailFilePhp(),
    // verification without the REST API: the create/delete cards, used through Chromium
    ...cardFiles(),
    // integrations (issue 17): email collector, payment modules
    ...integrationFiles(),
    // outgoing webhooks (issue 17): module Webhook, its trigger, the triggers' runner
    ...webhookFiles(),
    // multi-entity isolation check (issue 18): the business classes its marker tool creates records with
    ...entityClassFiles(),
  };
  if (o.splitVersionFile) files['htdocs/version.inc.php'] = versionIncPhp(o);
  files['htdocs/public/cron/cron_run_jobs_by_url.php'] = cronRunJobsByUrlPhp();
  if (o.withoutScripts) delete files['scripts/cron/cron_run_jobs.php'];
  if (o.withoutCustom) delete files['htdocs/custom/README.md'];
  for (const [name, sql] of Object.entries(tables)) files[`htdocs/install/mysql/tables/${name}`] = `${sql}\n`;
  for (const [name, sql] of Object.entries(data)) files[`htdocs/install/mysql/data/${name}`] = `${sql}\n`;
  for (const [name, sql] of Object.entries(migrations(o.version, o.brokenMigration))) files[`htdocs/install/mysql/migration/${name}`] = sql;
  // issue 22: every release carries its file list, written last (build/generate_filelist_xml.php)
  files[`htdocs/install/filelist-${o.version}.xml`] = fileListXml(files, o.version);
  return files;
}

export function buildFixtureRelease(options: FixtureOptions, outDir = mkdtempSync(join(tmpdir(), 'moko-fixture-'))): FixtureRelease {
  const top = `dolibarr-${options.version}`;
  const staging = mkdtempSync(join(tmpdir(), 'moko-fixture-src-'));
  for (const [path, content] of Object.entries(fixtureFiles(options))) {
    const full = join(staging, top, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  mkdirSync(outDir, { recursive: true });
  const tarball = join(outDir, `${top}.tgz`);
  execFileSync('tar', ['-czf', tarball, '--owner=0', '--group=0', '-C', staging, top]);
  execFileSync('rm', ['-rf', staging]);
  const sha256 = createHash('sha256').update(readFileSync(tarball)).digest('hex');
  return { version: options.version, tarball, sha256 };
}
