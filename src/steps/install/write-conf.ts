import { renderConfPhp } from '../../dolibarr/conf-php.js';
import type { Action, Step, StepContext } from '../step.js';
import { layoutOf } from './context.js';
import { plannedConf } from './conf-values.js';
import { noLinksFind } from './root-owned-tree.js';
import { testExists } from './tool-command.js';
import { writeOwnReleaseConf } from '../upgrade-copy/release-conf.js';

/**
 * conf.php is written three times with the same content (plannedConf): before step1 (the installer
 * requires an existing, writable conf.php: install/step1.php l.164 `ConfFileIsNotWritable`), again right after
 * step1 (which rewrites it with utf8 / utf8_unicode_ci and an md5(uniqid()) id: step1.php l.843-942) so step2
 * and step5 already run with utf8mb4 and our id, and finally locked read-only.
 */
function writeConf(ctx: StepContext, locked: boolean): Action[] {
  const l = layoutOf(ctx);
  const { webUser, webGroup } = ctx.plan.target;
  const mode = locked ? Number.parseInt(ctx.policy.procedures.fileModes.confPhp, 8) : 0o600;
  return [
    {
      kind: 'write',
      description: locked
        ? `conf.php read-only (${ctx.policy.procedures.fileModes.confPhp} root:${webGroup})`
        : 'conf.php writable by the installer',
      file: locked
        ? { path: l.confPhp, content: renderConfPhp(plannedConf(ctx)), mode, owner: 'root', group: webGroup }
        : {
            path: l.confPhp,
            content: renderConfPhp(plannedConf(ctx)),
            mode,
            owner: webUser,
            group: webGroup,
          },
    },
    // the installer writes conf.php through the release's htdocs/conf/conf.php (step1.php fopen 'w'): a symlink to
    // the shared one until the install is done; then the release's own conf.php (issue 19, release-conf.ts), which
    // requires the shared one, names the release's real document root and tests its state files per request
    locked
      ? writeOwnReleaseConf(ctx, l.releaseName)
      : {
          kind: 'run',
          description: 'htdocs/conf/conf.php -> shared/conf/conf.php',
          command: { sudo: true, argv: ['ln', '-sfn', l.confPhp, l.releaseConfPhp] },
        },
  ];
}

const installedProbe = (ctx: StepContext) => testExists(layoutOf(ctx).installLock);

export const prepareConf: Step = {
  id: 'install:conf-prepare',
  title: 'Write conf.php for the installer',
  policyRef: 'deploy.phase2.run-installer',
  plan: (ctx) => writeConf(ctx, false),
  async isDone(ctx, host) {
    return (await host.run(installedProbe(ctx))).code === 0;
  },
};

export const restoreConf: Step = {
  id: 'install:conf-restore',
  title: 'Put back our conf.php after step1 (utf8mb4, kept instance id)',
  policyRef: 'deploy.phase2.run-installer',
  plan: (ctx) => writeConf(ctx, false),
  async isDone(ctx, host) {
    return (await host.run(installedProbe(ctx))).code === 0;
  },
};

/**
 * Final: conf.php 0440 root:<web group> (DOLIBARR.md §3: not writable by the web server, not world-readable),
 * and a second lock file in the release's htdocs. Tested on 20.0.2: install/step1.php defines DONOTLOADCONF, so
 * install/inc.php (l.~262) takes DOL_DATA_ROOT as htdocs/../documents and never sees an external data root's
 * install.lock; only DOL_DOCUMENT_ROOT/install.lock (inc.php l.~309, "recommended") locks step1 there.
 * Upgrades are unaffected: upgrade.unlock in the data root reopens the upgrade pages whatever the lock file.
 */
export const lockConf: Step = {
  id: 'install:conf-lock',
  title: 'Make conf.php read-only and lock the installer',
  policyRef: 'deploy.phase2.configure-system',
  plan: (ctx) => [
    ...writeConf(ctx, true),
    {
      kind: 'write',
      description: 'htdocs/install.lock (locks step1 too, whose data root is never the external one)',
      file: {
        path: `${layoutOf(ctx).htdocs}/install.lock`,
        content:
          'Locked by mokodeploy: install pages are closed; create DATA_ROOT/upgrade.unlock to upgrade.\n',
        mode: 0o444,
        owner: 'root',
        group: 'root',
      },
    },
    {
      kind: 'run',
      // step1 creates DATA_ROOT/.htaccess with mode 0666 (observed on 20.0.2): nothing there is world-writable.
      // The web user owns the data root and may plant links there: a link is 0777 so `-perm -o+w` matches it
      // and root's chmod would follow it (issue 12). Only files and directories, never links (-P, -type f,d).
      description: 'no world-writable file in the data root',
      command: {
        sudo: true,
        argv: noLinksFind(layoutOf(ctx).dataRoot, ['-perm', '-o+w', '-exec', 'chmod', 'o-w', '{}', '+']),
      },
    },
  ],
};
