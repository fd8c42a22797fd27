import type { Integration } from '../core/plan-integrations.js';
import type { DeploymentRecord } from '../core/record.js';
import type { Plan } from '../core/plan.js';
import { describeApiAccess } from './api-users.js';
import { paypalApiHost } from './payment.js';
import { describeTelemetry } from './telemetry.js';
import { describeWebhook, describeWebhookCheck, webhookRef } from './webhook.js';

/** What the plan configures for one integration, in a sentence (secrets by name only). */
export function describeConfigured(i: Integration, plan?: Plan): string {
  const parts: string[] = [];
  if (i.smtp)
    parts.push(
      `outgoing mail via ${i.smtp.host}:${i.smtp.port} (${i.smtp.security}${i.smtp.login ? `, login ${i.smtp.login}, password in ${i.smtp.password?.secret}` : ''}), from ${i.smtp.from}`,
    );
  if (i.imap)
    parts.push(
      `email collector ${i.id} on ${i.imap.login}@${i.imap.host}:${i.imap.port}/${i.imap.folder} (${i.imap.security}), ${i.imap.filters.length} filter(s), ${i.imap.actions.map((a) => a.type).join(', ')}`,
    );
  if (i.stripe)
    parts.push(
      `Stripe, ${i.stripe.mode} keys in ${i.stripe.secretKey.secret} / ${i.stripe.publishableKey.secret}`,
    );
  if (i.paypal)
    parts.push(
      `PayPal ${i.paypal.mode} (${paypalApiHost(i.paypal)}), credentials in ${i.paypal.apiUser.secret}…`,
    );
  if (i.api) parts.push(`API ${i.api.url}${i.api.token ? `, credential in ${i.api.token.secret}` : ''}`);
  if (i.webhook) parts.push(`${describeWebhook(i.webhook)} (Dolibarr webhook target ${webhookRef(i)})`);
  if (i.apiAccess && plan) parts.push(describeApiAccess(plan, { ...i, apiAccess: i.apiAccess }));
  return parts.join('; ') || '-';
}

/**
 * What mokodeploy tested for it and when (issue 17, policy Phase 3 "Test integrations"): the checks the last
 * successful run noted (facts.lastRun.outputs.integrationChecks, recorded by deploy) and that run's end.
 */
export function describeTested(record: DeploymentRecord, id: string): string {
  const lastRun = record.facts.lastRun as
    { outputs?: { integrationChecks?: { integration: string; check: string }[] } } | undefined;
  const checks = (lastRun?.outputs?.integrationChecks ?? [])
    .filter((c) => c.integration === id)
    .map((c) => c.check);
  const run = [...record.runs].reverse().find((r) => r.outcome === 'succeeded');
  if (checks.length === 0) checks.push(...checkedInUpgrade(record, id));
  if (checks.length === 0) return 'not tested by mokodeploy';
  return `${checks.join('; ')} — passed${run?.finishedAt ? ` ${run.finishedAt}` : ''}`;
}

/** The check steps an integration's parts are verified by (src/steps/integrations/*-check.ts). */
const checkSteps = {
  smtp: 'integrations:smtp-check',
  imap: 'integrations:collector-check',
  stripe: 'integrations:payment-check',
  paypal: 'integrations:payment-check',
  api: 'integrations:api-check',
  webhook: 'integrations:webhook-check',
} as const;

/** The record's last upgrade (facts.upgrade, src/app/engine/upgrade-run.ts): the steps it ran. */
const upgradeSteps = (record: DeploymentRecord): string[] =>
  ((record.facts.upgrade as { steps?: { id: string }[] } | undefined)?.steps ?? []).map((s) => s.id);

/**
 * Issue 17 inside an upgrade: the upgrade's run does not keep the checks' notes, but it records its steps, and a
 * check step that ran in a successful upgrade passed (a failed check fails the upgrade).
 */
function checkedInUpgrade(record: DeploymentRecord, id: string): string[] {
  const i = record.plan.integrations.find((x) => x.id === id);
  const ran = upgradeSteps(record);
  if (!i || (record.kind !== 'upgrade' && record.kind !== 'customization')) return [];
  return (Object.keys(checkSteps) as (keyof typeof checkSteps)[])
    .filter((k) => i[k] && ran.includes(checkSteps[k]))
    .map((k) =>
      k === 'webhook' && i.webhook
        ? describeWebhookCheck({ ...i, webhook: i.webhook })
        : `${checkSteps[k]} ran in the upgrade`,
    )
    .filter((c, n, all) => all.indexOf(c) === n);
}

/**
 * The telemetry line for the handoff pack and the deployment report (issue 17): what a new install or an integration
 * deploy set about Dolibarr's anonymous first ping. Undefined for kinds that do not set it, and for records written
 * before the plan had the field (nothing was set then).
 */
export function describeTelemetryOf(record: DeploymentRecord): string | undefined {
  const optIn = (record.plan.dolibarr as { telemetry?: boolean }).telemetry;
  if (optIn === undefined) return undefined;
  if (record.kind === 'new' || record.kind === 'integration') return describeTelemetry(optIn);
  // issue 17: an upgrade writes it again after upgrade2.php re-armed the ping (upgrade:telemetry)
  if (upgradeSteps(record).includes('upgrade:telemetry')) return describeTelemetry(optIn);
  return undefined;
}

/** One row per integration of the plan, then telemetry: [integration, kind, configured, tested]. */
export function integrationReportRows(record: DeploymentRecord): string[][] {
  const rows = record.plan.integrations.map((i) => [
    i.id,
    i.kind,
    describeConfigured(i, record.plan),
    describeTested(record, i.id),
  ]);
  const telemetry = describeTelemetryOf(record);
  const by =
    record.kind === 'new'
      ? 'install:telemetry'
      : record.kind === 'integration'
        ? 'integrations:telemetry'
        : 'upgrade:telemetry';
  if (telemetry) rows.push(['telemetry', 'setting', telemetry, `set by ${by}`]);
  return rows;
}
