import { layoutOf } from '../install/context.js';
import type { Step } from '../step.js';
import { fixedLayout, upgradeFacts } from './context.js';

/**
 * What the new release takes over from the one being served (issue 5, DOLIBARR.md §4 "keeping conf.php and
 * htdocs/custom"): conf.php is not copied nor rewritten — the release's htdocs/conf/conf.php becomes a symlink to
 * the one shared conf.php, untouched (its instance id is the encryption key); custom modules present in the old
 * release and not installed fresh by the plan are copied over; documents live outside the releases (data root)
 * and need nothing. The copy script is constant; the two directories are its arguments.
 */
export const copyMissingModulesScript = [
  '[ -d "$1" ] || exit 0',
  'mkdir -p "$2"',
  'for d in "$1"/*/; do',
  '  [ -d "$d" ] || continue',
  '  n="$2/$(basename "$d")"',
  '  [ -e "$n" ] || cp -a -- "$d" "$n"',
  'done',
].join('\n');

export const carryOver: Step = {
  id: 'upgrade:carry-over',
  title: 'Carry conf.php (symlink, untouched) and custom modules over to the new release',
  policyRef: 'deploy.phase2.install-modules',
  plan(ctx) {
    const l = layoutOf(ctx);
    const old = `${fixedLayout(ctx).releasesDir}/${upgradeFacts(ctx).previousRelease}/htdocs/custom`;
    return [
      {
        kind: 'run',
        description: 'htdocs/conf/conf.php -> shared/conf/conf.php',
        command: { sudo: true, argv: ['ln', '-sfn', l.confPhp, l.releaseConfPhp] },
      },
      {
        kind: 'run',
        description: `custom modules of ${upgradeFacts(ctx).previousRelease} not in the new release`,
        command: { sudo: true, argv: ['sh', '-c', copyMissingModulesScript, 'carry-over', old, l.customDir] },
      },
      {
        kind: 'run',
        description: 'custom modules owned by root',
        command: { sudo: true, argv: ['chown', '-R', 'root:root', l.customDir] },
      },
    ];
  },
};
