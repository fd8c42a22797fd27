import type { Step } from '../../steps/step.js';
import { backupFacts } from '../context.js';

/**
 * Retention: keep the newest N complete backups (directories named by stamp, with a SHA256SUMS), remove older
 * ones and any incomplete one older than the newest. The backup just made is the newest, so it is always kept.
 * The script is constant; the backup root and N are its positional arguments.
 */
export const retentionScript = [
  'cd "$1" || exit 0',
  'ls -1d [0-9]*/ 2>/dev/null | sed "s,/$,," | grep -E "^[0-9]{14}$" | sort -r | {',
  '  kept=0',
  '  while read -r d; do',
  '    if [ -s "$d/SHA256SUMS" ] && [ "$kept" -lt "$2" ]; then kept=$((kept + 1)); else rm -rf -- "$d"; fi',
  '  done',
  '}',
].join('\n');

export const applyRetention: Step = {
  id: 'backup:retention',
  title: 'Remove backups beyond the retention count',
  policyRef: 'deploy.phase1.backup-production',
  plan(ctx) {
    const keep = backupFacts(ctx).keepBackups ?? 7;
    return [
      {
        kind: 'run',
        description: `keep the newest ${keep} backups in ${ctx.plan.target.backupRoot}`,
        command: {
          sudo: true,
          argv: [
            'sh',
            '-c',
            retentionScript,
            'retention',
            ctx.plan.target.backupRoot,
            String(Math.max(1, keep)),
          ],
        },
      },
    ];
  },
};
