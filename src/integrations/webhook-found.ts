import type { Plan } from '../core/plan.js';
import { targetLayout } from '../dolibarr/layout.js';
import type { Host } from '../hosts/host.js';
import { webhookRefPrefix, webhooksOf } from './webhook.js';

/**
 * Which webhook targets made by mokodeploy are on the target now (refs starting with mokodeploy-), read without
 * changing anything: the database credentials come from conf.php itself (as src/steps/install/adopt.ts reads the
 * version), so no password crosses argv or our process. A database without llx_webhook_target (module Webhook never
 * enabled; modWebhook::init() creates it) has none. The client's own targets are listed by no one.
 *
 * Why: a plan that drops all its webhooks must still remove ours, or Dolibarr keeps posting the client's third
 * parties to them (the whole object, docs/DOLIBARR-NOTES.md "Outgoing webhooks").
 */
export interface WebhookFacts {
  /** Our targets found on the target; null when the table could not be read (then the removal runs anyway). */
  webhookTargetsFound?: string[] | null;
}

// $argv[1] conf.php, $argv[2] the prefix. Error 1146 (no such table) means none.
const readRefsPhp = [
  'include $argv[1];',
  'mysqli_report(MYSQLI_REPORT_OFF);', // PHP 8.1+ throws on errors by default; we read errno
  '$m = @new mysqli($dolibarr_main_db_host, $dolibarr_main_db_user, $dolibarr_main_db_pass, $dolibarr_main_db_name, (int) $dolibarr_main_db_port);',
  'if ($m->connect_errno) { echo json_encode(array("error" => $m->connect_error)); exit(1); }',
  '$r = $m->query("SELECT ref FROM ".$dolibarr_main_db_prefix."webhook_target ORDER BY rowid");',
  'if (!$r) { echo json_encode($m->errno === 1146 ? array("refs" => array()) : array("error" => $m->error)); exit($m->errno === 1146 ? 0 : 1); }',
  '$refs = array(); while ($o = $r->fetch_row()) { if (strpos((string) $o[0], $argv[2]) === 0) { $refs[] = (string) $o[0]; } }',
  'echo json_encode(array("refs" => $refs));',
].join(' ');

/** Read only when the plan has no webhook: with webhooks, the configure step itself removes the ones dropped. */
export async function readWebhookFacts(host: Host, plan: Plan, php = 'php'): Promise<WebhookFacts> {
  if (webhooksOf(plan.integrations).length > 0) return {};
  const { confPhp } = targetLayout(plan.target.root, plan.target.dataRoot, 'current');
  // as the web user: conf.php is code, and the web user can read it (never run it as root)
  const r = await host.run({
    asUser: plan.target.webUser,
    argv: [php, '-r', readRefsPhp, '--', confPhp, webhookRefPrefix],
  });
  try {
    const parsed = JSON.parse(r.stdout) as { refs?: unknown };
    if (r.code === 0 && Array.isArray(parsed.refs))
      return { webhookTargetsFound: parsed.refs.filter((x): x is string => typeof x === 'string') };
  } catch {
    // unreadable answer: treated as unknown below
  }
  return { webhookTargetsFound: null };
}

/** Whether our targets must be removed: the plan has none, and the target has some (or could not say). */
export function webhookTargetsToRemove(
  plan: Plan,
  facts: Record<string, unknown>,
): string[] | 'unknown' | undefined {
  if (webhooksOf(plan.integrations).length > 0 || !('webhookTargetsFound' in facts)) return undefined;
  const found = facts.webhookTargetsFound;
  if (!Array.isArray(found)) return 'unknown';
  return found.length > 0 ? found.map(String) : undefined;
}
