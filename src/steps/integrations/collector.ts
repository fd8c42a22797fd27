import { refused } from '../../core/errors.js';
import { collectorConstants, collectorRequest } from '../../integrations/collector.js';
import type { Action, Step } from '../step.js';
import { integrationTool, integrationsWith, noteCheck, secretOf } from './context.js';

/**
 * Policy Phase 2 step 7 "Set up email integration" (incoming): module EmailCollector enabled through
 * activateModule() (its descriptor core/modules/modEmailCollector.class.php l.159-161 adds the cron job that calls
 * EmailCollector::doCollect every 5 minutes), PHP-IMAP selected, and one collector per plan entry written through
 * Dolibarr's classes (src/integrations/php/configure-collector.ts); the IMAP password on stdin only.
 */
export const configureCollector: Step = {
  id: 'integrations:collector',
  title: 'Configure the email collector (IMAP mailbox, filters, actions)',
  policyRef: 'deploy.phase2.configure-integrations',
  plan(ctx) {
    const list = integrationsWith(ctx, 'imap');
    if (list.length === 0) return [];
    if (ctx.facts.hasEmailCollector === false)
      throw refused(
        `${list[0]!.id}: the Dolibarr this site serves has no email collector (htdocs/emailcollector/)`,
        {
          fix: 'upgrade Dolibarr first (the collector ships with Dolibarr 10 and later), or remove imap from the plan',
        },
      );
    const actions: Action[] = [
      {
        kind: 'run',
        description: 'enable module EmailCollector (activateModule)',
        command: integrationTool(ctx, 'enable-modules.php', { modules: ['modEmailCollector'] }),
      },
    ];
    const own = collectorConstants(ctx.plan);
    if (own.length)
      actions.push({
        kind: 'run',
        description:
          'our own senders, so collected mail counts as incoming (MAIL_FROM_EMAILS_TO_CONSIDER_SENDING)',
        command: integrationTool(ctx, 'set-constants.php', { constants: own }),
      });
    for (const i of list)
      actions.push({
        kind: 'run',
        description: `${i.id}: IMAP library for this PHP (MAIN_IMAP_USE_PHPIMAP), collector on ${i.imap.login}@${i.imap.host}:${i.imap.port}/${i.imap.folder} (${i.imap.security}), ${i.imap.filters.length} filters, actions ${i.imap.actions.map((a) => a.type).join(', ')}`,
        command: integrationTool(
          ctx,
          'integration-configure-collector.php',
          collectorRequest(i, secretOf(ctx, i.imap.password.secret)),
        ),
      });
    return actions;
  },
};

/**
 * Policy Phase 3 "Test integrations": each collector run once, as its cron job would, against the real mailbox;
 * Dolibarr's own verdict (codelastresult OK) and the events it recorded are the evidence. A failure (login refused,
 * folder missing, certificate not trusted) fails the run and the collector step is redone next time.
 */
export const checkCollector: Step = {
  id: 'integrations:collector-check',
  title: 'Run each email collector once and read what Dolibarr recorded',
  policyRef: 'deploy.phase3.functionality',
  checks: ['integrations:collector'],
  plan(ctx) {
    const list = integrationsWith(ctx, 'imap');
    for (const i of list)
      noteCheck(
        ctx,
        this.id,
        i.id,
        `collector ${i.id} run once against ${i.imap.host}:${i.imap.port}/${i.imap.folder}: Dolibarr's verdict OK`,
      );
    return list.map((i) => ({
      kind: 'run' as const,
      description: `${i.id}: collect once from ${i.imap.host}:${i.imap.port}/${i.imap.folder}`,
      command: integrationTool(ctx, 'integration-run-collector.php', { ref: i.id }, i.imap.caFile),
    }));
  },
};
