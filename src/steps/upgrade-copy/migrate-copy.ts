import { installPageRequest } from '../../dolibarr/installer.js';
import { layoutOf } from '../install/context.js';
import { fixedLayout, upgradeFacts } from '../upgrade/context.js';
import type { MigrationPass } from '../upgrade/passes.js';
import { dbVersionCheck } from '../upgrade/verify-db-version.js';
import type { Step, StepContext } from '../step.js';
import { clearReadOnly, pinDatabase, setReadOnly, writeOwnReleaseConf } from './release-conf.js';
import { copyOf } from './names.js';
import { onLiveDatabase } from '../../backup/live-database.js';
import { modulesToEnable } from '../install/enable-modules.js';
import { runPhpTool } from '../install/tool-command.js';

/**
 * Issue 19 step 3: Dolibarr's own passes (upgrade.php, upgrade2.php, step5.php, one major each: upgrade/migrate.ts)
 * run by the NEW release on the copy, before any switch: cwd <new release>/htdocs/install, so install/inc.php reads
 * ../conf/conf.php = the new release's own conf.php naming the copy (conf-wrapper.ts) and DOL_DOCUMENT_ROOT is '..'
 * (install/inc.php l.39-41), the new release's files. The old release serves reads meanwhile.
 */
export const copyConf: Step = {
  id: 'upgrade:copy-conf',
  title: 'The new release uses the copy (its database state file)',
  policyRef: 'deploy.phase2.run-installer',
  plan(ctx) {
    const l = layoutOf(ctx);
    // its own conf.php (carry-over wrote it; again here for a run resumed from before this engine wrote it there)
    return [writeOwnReleaseConf(ctx, l.releaseName), pinDatabase(ctx, l.releaseName, copyOf(ctx))];
  },
};

/**
 * The new release read-only for the web before the switch, as the old release was during the window (login events
 * not logged), so that nothing but our own steps writes the copy until its write mark is taken; our CLI steps
 * (php-cli) write. Set before `current` moves: its first request is read-only. `upgrade:writable` removes it.
 */
export const switchConf: Step = {
  id: 'upgrade:switch-conf',
  title: 'The new release read-only for the web (for the switch)',
  policyRef: 'deploy.phase2.run-installer',
  plan: (ctx) => [setReadOnly(ctx, layoutOf(ctx).releaseName, 'web')],
};

/**
 * The plan's modules enabled by the new release on the copy, before the switch (its conf.php still the copy's
 * migration one, whose document roots are the new release's): the site's first request after the switch finds them,
 * and nothing of ours writes the live database after the switch but the health check's login (which leaves tms).
 */
export const modulesOnCopy: Step = {
  id: 'upgrade:modules',
  title: "Enable the plan's modules on the copy (new custom modules included)",
  policyRef: 'deploy.phase2.configure-system',
  plan(ctx) {
    const l = layoutOf(ctx);
    const modules = modulesToEnable(ctx);
    return [
      {
        kind: 'run',
        description: `enable ${modules.join(', ')} (${l.releaseName}, on ${copyOf(ctx)})`,
        command: runPhpTool(ctx, 'enable-modules.php', { modules, htdocs: l.htdocs }, l.htdocs),
      },
    ];
  },
};

/** Writes back: the new release's read-only state file removed, its next request writes (no reload). */
export const relinkNewConf: Step = {
  id: 'upgrade:writable',
  title: 'The new release writable (its read-only state file removed)',
  policyRef: 'deploy.phase2.run-installer',
  plan: (ctx) => clearReadOnly(ctx, layoutOf(ctx).releaseName, 'both'),
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

const onCopy = (ctx: StepContext): StepContext => onLiveDatabase(ctx, copyOf(ctx));

export const verifyCopyVersion: Step = {
  id: 'upgrade:verify-copy-version',
  title: 'The copy is recorded at the new version (before anything is switched)',
  policyRef: 'deploy.phase3.health-check',
  plan: (ctx) => dbVersionCheck(onCopy(ctx), (c) => c.plan.dolibarr.version),
};
