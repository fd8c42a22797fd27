import { targetLayout } from '../../dolibarr/layout.js';
import type { Action, Step } from '../../steps/step.js';
import { bashCommand } from '../bash.js';
import { backupOf } from '../context.js';

/**
 * Policy Phase 1 "Full file system backup": what is not in a release tarball — the documents (data root, with
 * install.lock), the custom modules of the release being served (htdocs/custom) and conf.php byte for byte.
 * Each archive is written to a temp name and renamed.
 */
/** Constant: $1 the archive, $2 the directory archived. */
const tarScript = 'umask 077 && tar -czf "$1.partial" -C "$2" . && mv -f "$1.partial" "$1"';

/**
 * Constant, as tarScript; a release without htdocs/custom (the public 20.0.2 tarball has none) gives an empty
 * archive, so the backup keeps its one layout (SHA256SUMS lists custom.tar.gz) and a restore extracts nothing.
 */
const customTarScript =
  'umask 077 && if [ -d "$2" ]; then tar -czf "$1.partial" -C "$2" .; else tar -czf "$1.partial" -T /dev/null; fi && mv -f "$1.partial" "$1"';

function tarAction(description: string, archive: string, dir: string, script = tarScript): Action {
  return { kind: 'run', description, command: bashCommand(script, undefined, [archive, dir]) };
}

export const archiveFiles: Step = {
  id: 'backup:files',
  title: 'Archive documents, custom modules and conf.php',
  policyRef: 'deploy.phase1.backup-production',
  plan(ctx) {
    const b = backupOf(ctx);
    const l = targetLayout(ctx.plan.target.root, ctx.plan.target.dataRoot, 'unused');
    return [
      tarAction(`documents ${l.dataRoot}`, b.documents, l.dataRoot),
      tarAction(
        `custom modules ${l.currentHtdocs}/custom (an empty archive when the release has none)`,
        b.custom,
        `${l.currentHtdocs}/custom`,
        customTarScript,
      ),
      {
        kind: 'run',
        description: 'conf.php (0600)',
        command: { sudo: true, argv: ['install', '-m', '600', '--', l.confPhp, b.confPhp] },
      },
    ];
  },
};
