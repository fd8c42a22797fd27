import { configureCron } from '../install/configure-cron.js';
import type { Step } from '../step.js';

/**
 * The scheduled jobs after a recovery (issue 23): the cron file (or the `curl -K` key file of a release without
 * scripts/) as a fresh install writes it, but not CRON_KEY: the restored database already holds the key the
 * backup's install set from this store's secret, and Dolibarr's dolibarr_set_const deletes and re-inserts the row
 * (htdocs/core/lib/admin.lib.php), which would make llx_const differ from the backup just verified.
 */
export const restoreCron: Step = {
  ...configureCron,
  id: 'restore:cron',
  plan: (ctx) => configureCron.plan(ctx).filter((a) => !/CRON_KEY/.test(a.description)),
};
