import type { Secret } from '../../core/secret.js';
import {
  installLanguage,
  installPageRequest,
  step1Args,
  step2Args,
  step5Args,
} from '../../dolibarr/installer.js';
import type { Command } from '../../hosts/host.js';
import type { Step, StepContext } from '../step.js';
import { layoutOf, php, secretOf } from './context.js';
import { plannedConf } from './conf-values.js';
import { testExists } from './tool-command.js';

/**
 * Policy Phase 2 step 3 "Run installation wizard", unattended: Dolibarr's own install pages run by php-cli
 * as the web user with cwd htdocs/install (DOLIBARR.md §2), through our run-install-page.php wrapper which
 * reads the page's positional arguments from stdin — the DB password (step1 arg 12) and the admin
 * password (step5 args 6-7) never appear in argv.
 */
function installPage(ctx: StepContext, request: Secret): Command {
  const l = layoutOf(ctx);
  return {
    argv: [php(ctx), `${l.toolsDir}/run-install-page.php`],
    stdin: request,
    cwd: l.installDir,
    asUser: ctx.plan.target.webUser,
    timeoutMs: 900_000,
  };
}

const lang = (ctx: StepContext) => installLanguage(ctx.plan.company.country);

async function installed(
  ctx: StepContext,
  host: Parameters<NonNullable<Step['isDone']>>[1],
): Promise<boolean> {
  return (await host.run(testExists(layoutOf(ctx).installLock))).code === 0;
}

export const installerStep1: Step = {
  id: 'install:installer-step1',
  title: 'Dolibarr installer step1 (check database, create data directories, write conf.php)',
  policyRef: 'deploy.phase2.run-installer',
  plan(ctx) {
    const conf = plannedConf(ctx);
    const args = step1Args({
      lang: lang(ctx),
      documentRoot: conf.documentRoot,
      dataRoot: conf.dataRoot,
      urlRoot: conf.urlRoot,
      dbType: conf.db.type,
      dbHost: conf.db.host,
      dbName: conf.db.name,
      dbUser: conf.db.user,
      dbPassword: conf.db.password,
      dbPort: conf.db.port,
      dbPrefix: conf.db.prefix,
    });
    return [
      {
        kind: 'run',
        description: 'php install/step1.php set … (arguments on stdin)',
        command: installPage(ctx, installPageRequest('step1.php', args)),
      },
    ];
  },
  isDone: installed,
};

export const installerStep2: Step = {
  id: 'install:installer-step2',
  title: 'Dolibarr installer step2 (create tables, load reference data)',
  policyRef: 'deploy.phase2.run-installer',
  plan(ctx) {
    return [
      {
        kind: 'run',
        description: 'php install/step2.php set LANG',
        command: installPage(ctx, installPageRequest('step2.php', step2Args(lang(ctx)))),
      },
    ];
  },
  isDone: installed,
};

export const installerStep5: Step = {
  id: 'install:installer-step5',
  title: 'Dolibarr installer step5 (admin account, default modules, install.lock)',
  policyRef: 'deploy.phase2.run-installer',
  plan(ctx) {
    const password = secretOf(ctx, ctx.plan.admin.password.secret);
    const args = step5Args(lang(ctx), ctx.plan.admin.login, password, '444');
    return [
      {
        kind: 'run',
        description: 'php install/step5.php 0 0 LANG set LOGIN *** *** 444 (arguments on stdin)',
        command: installPage(ctx, installPageRequest('step5.php', args)),
      },
      { kind: 'run', description: 'install.lock exists', command: testExists(layoutOf(ctx).installLock) },
    ];
  },
  isDone: installed,
};
