import { planSchema, type Plan } from '../../core/plan.js';

/**
 * The throwaway copy a rehearsal upgrades (issue 5): beside production on the same target, every place renamed
 * (<root>-rehearsal, <dataRoot>-rehearsal, <backupRoot>-rehearsal, database <name>_rehearsal) so nothing of
 * production is written. No web server serves it: the health check there is the database version.
 */
export function rehearsalPlan(plan: Plan, version = plan.dolibarr.version): Plan {
  const t = plan.target;
  return planSchema.parse({
    ...plan,
    dolibarr: { ...plan.dolibarr, version },
    target: {
      ...t,
      root: `${t.root}-rehearsal`,
      dataRoot: `${t.dataRoot}-rehearsal`,
      backupRoot: `${t.backupRoot}-rehearsal`,
    },
    database: { ...plan.database, name: `${plan.database.name}_rehearsal`.slice(0, 64) },
    // issue 17: the integrations' checks reach production's outside world (mail sent, a mailbox collected, webhooks
    // posted, the site's payment pages): a rehearsal configures and checks none of them
    integrations: [],
  });
}

/** Where the rehearsal restores from: production's backup root, with the copy's other places. */
export function rehearsalRestorePlan(plan: Plan, oldVersion: string): Plan {
  const copy = rehearsalPlan(plan, oldVersion);
  return { ...copy, target: { ...copy.target, backupRoot: plan.target.backupRoot } };
}
