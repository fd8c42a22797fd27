import { cronCommand, cronComment, cronUser } from '../../escape/cron.js';
import type { Step, StepContext } from '../step.js';
import { derivedSecrets, installFacts, layoutOf, php, secretOf } from './context.js';
import { runPhpTool } from './tool-command.js';
import { cronByUrlActions } from './cron-by-url.js';

/**
 * Policy Phase 3 "Verify cron jobs configured": Dolibarr's scheduled jobs (module Cron, enabled by
 * install:modules) run every 5 minutes by scripts/cron/cron_run_jobs.php, through our run-cron-jobs.php
 * wrapper which reads CRON_KEY from the database so the key is in neither the crontab nor argv.
 * CRON_KEY is stored at entity 0 as htdocs/cron/admin/cron.php l.47 does. Every value is written by the cron
 * escaper (src/escape/cron.ts): a newline in a plan value can never add a second (root) job.
 */
export function cronFilePath(ctx: StepContext): string {
  return `${installFacts(ctx).cronDir ?? '/etc/cron.d'}/mokocrm-${ctx.plan.client}`;
}

export function renderCronFile(ctx: StepContext): string {
  const l = layoutOf(ctx);
  return [
    cronComment(`mokodeploy: Dolibarr scheduled jobs for ${ctx.plan.client}`),
    'SHELL=/bin/sh',
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    `*/5 * * * * ${cronUser(ctx.plan.target.webUser, 'target.webUser')} ${cronCommand(
      [php(ctx), `${l.toolsDir}/run-cron-jobs.php`, l.currentLink, 'firstadmin'],
      'target.root',
    )} >/dev/null 2>&1`,
    '',
  ].join('\n');
}

export const configureCron: Step = {
  id: 'install:cron',
  title: 'Schedule Dolibarr jobs (cron_run_jobs.php every 5 minutes)',
  policyRef: 'deploy.phase3.health-check',
  plan(ctx) {
    if (installFacts(ctx).skipCron) return [];
    const key = secretOf(ctx, derivedSecrets.cronKey(ctx.plan.client));
    const byUrl = installFacts(ctx).releaseHasCronScript === false; // no scripts/ in the release
    return [
      {
        kind: 'run',
        description: 'CRON_KEY from the store (stdin)',
        command: runPhpTool(ctx, 'set-constants.php', {
          constants: [{ name: 'CRON_KEY', value: key.reveal(), entity: 0 }],
        }),
      },
      ...(byUrl
        ? cronByUrlActions(ctx, key, cronFilePath(ctx))
        : [
            {
              kind: 'write' as const,
              description: `cron file ${cronFilePath(ctx)}`,
              file: {
                path: cronFilePath(ctx),
                content: renderCronFile(ctx),
                mode: 0o644,
                owner: 'root',
                group: 'root',
              },
            },
          ]),
    ];
  },
};
