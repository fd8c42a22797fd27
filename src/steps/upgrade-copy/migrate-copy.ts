import { installPageRequest } from '../../dolibarr/installer.js';
import { layoutOf } from '../install/context.js';
import { fixedLayout, upgradeFacts } from '../upgrade/context.js';
import type { MigrationPass } from '../upgrade/passes.js';
import { dbVersionCheck } from '../upgrade/verify-db-version.js';
import type { Step, StepContext } from '../step.js';
import { copyConfPhp, relinkReleaseConf, writeReleaseConf } from './conf-wrapper.js';
import { copyDatabaseName } from './names.js';

/**
 * Issue 19 step 3: Dolibarr's own passes (upgrade.php, upgrade2.php, step5.php, one major each: upgrade/migrate.ts)
 * run by the NEW release on the copy, before any switch: cwd <new release>/htdocs/install, so install/inc.php reads
 * ../conf/conf.php = the new release's own conf.php naming the copy (conf-wrapper.ts) and DOL_DOCUMENT_ROOT is '..'
 * (install/inc.php l.39-41), the new release's files. The old release serves reads meanwhile.
 */
export const copyConf: Step = {
  id: 'upgrade:copy-conf',
  title: "The new release's conf.php names the copy (until the swap)",
  policyRef: 'deploy.phase2.run-installer',
  plan(ctx) {
    const l = layoutOf(ctx);
    const content = copyConfPhp(
      fixedLayout(ctx).confPhp,
      copyDatabaseName(ctx.plan),
      l.currentHtdocs,
      l.htdocs,
    );
    return [writeReleaseConf(ctx, l.releaseName, content, `on ${copyDatabaseName(ctx.plan)}`)];
  },
};

/** Back to the shared conf.php: after the swap the live schema is the migrated one. */
export const relinkNewConf: Step = {
  id: 'upgrade:relink-conf',
  title: "The new release's conf.php is the shared one again",
  policyRef: 'deploy.phase2.run-installer',
  plan: (ctx) => [relinkReleaseConf(ctx, layoutOf(ctx).releaseName)],
};

export const copyPassStepId = (p: MigrationPass): string => `upgrade:migrate-copy-${p.from}-${p.to}`;

export function migrateCopyStep(pass: MigrationPass): Step {
  return {
    id: copyPassStepId(pass),
    title: `Dolibarr upgrade ${pass.from} -> ${pass.to} on the copy (upgrade.php, upgrade2.php, step5.php)`,
    policyRef: 'deploy.phase2.run-installer',
    plan(ctx) {
      const lang = upgradeFacts(ctx).lang ?? 'en_US';
      const l = layoutOf(ctx);
      const php = String((ctx.facts as { phpBinary?: string }).phpBinary ?? 'php');
      const page = (name: 'upgrade.php' | 'upgrade2.php' | 'step5.php', args: string[]) => ({
        kind: 'run' as const,
        description: `php install/${name} ${args.join(' ')} (${l.releaseName}, on the copy)`,
        command: {
          argv: [php, `${fixedLayout(ctx).toolsDir}/run-install-page.php`],
          stdin: installPageRequest(name, args),
          cwd: `${l.htdocs}/install`,
          asUser: ctx.plan.target.webUser,
          timeoutMs: 3_600_000,
        },
      });
      return [
        page('upgrade.php', [pass.from, pass.to]),
        page('upgrade2.php', [pass.from, pass.to]),
        page('step5.php', [pass.from, pass.to, lang, pass.step5Action]),
      ];
    },
  };
}

function onCopy(ctx: StepContext): StepContext {
  return {
    ...ctx,
    plan: { ...ctx.plan, database: { ...ctx.plan.database, name: copyDatabaseName(ctx.plan) } },
  };
}

export const verifyCopyVersion: Step = {
  id: 'upgrade:verify-copy-version',
  title: 'The copy is recorded at the new version (before anything is switched)',
  policyRef: 'deploy.phase3.health-check',
  plan: (ctx) => dbVersionCheck(onCopy(ctx), (c) => c.plan.dolibarr.version),
};
