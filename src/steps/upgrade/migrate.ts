import { installPageRequest } from '../../dolibarr/installer.js';
import type { Command } from '../../hosts/host.js';
import type { Secret } from '../../core/secret.js';
import type { Step, StepContext } from '../step.js';
import { fixedLayout, upgradeFacts } from './context.js';
import type { MigrationPass } from './passes.js';

/**
 * One pass of Dolibarr's own upgrade (DOLIBARR.md §4), as the official docker image and the web wizard run it:
 * install/upgrade.php FROM TO (SQL migrations), install/upgrade2.php FROM TO (PHP data migrations, menus and
 * permissions of enabled modules), install/step5.php FROM TO LANG upgrade[_TO] (records MAIN_VERSION_LAST_UPGRADE;
 * the last pass removes upgrade.unlock). Each page runs as the web user with cwd <current>/htdocs/install (after
 * the switch, so conf.php's document root — <root>/current/htdocs — is the new release), through our
 * run-install-page.php wrapper (arguments by stdin). Exit codes: upgrade.php l.418-437 and upgrade2.php l.728-742
 * exit 1 from the command line when a migration failed.
 */
function installPage(ctx: StepContext, request: Secret): Command {
  const l = fixedLayout(ctx);
  return {
    argv: [
      String((ctx.facts as { phpBinary?: string }).phpBinary ?? 'php'),
      `${l.toolsDir}/run-install-page.php`,
    ],
    stdin: request,
    cwd: `${l.currentHtdocs}/install`,
    asUser: ctx.plan.target.webUser,
    timeoutMs: 3_600_000,
  };
}

export const passStepId = (p: MigrationPass): string => `upgrade:migrate-${p.from}-${p.to}`;

export function migrateStep(pass: MigrationPass): Step {
  return {
    id: passStepId(pass),
    title: `Dolibarr upgrade ${pass.from} -> ${pass.to} (upgrade.php, upgrade2.php, step5.php)`,
    policyRef: 'deploy.phase2.run-installer',
    plan(ctx) {
      const lang = upgradeFacts(ctx).lang ?? 'en_US';
      const page = (name: 'upgrade.php' | 'upgrade2.php' | 'step5.php', args: string[]) => ({
        kind: 'run' as const,
        description: `php install/${name} ${args.join(' ')}`,
        command: installPage(ctx, installPageRequest(name, args)),
      });
      return [
        page('upgrade.php', [pass.from, pass.to]),
        page('upgrade2.php', [pass.from, pass.to]),
        page('step5.php', [pass.from, pass.to, lang, pass.step5Action]),
      ];
    },
  };
}
