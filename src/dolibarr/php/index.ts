import { createUsersPhp } from './create-users.js';
import { enableModulesPhp } from './enable-modules.js';
import { runCronJobsPhp } from './run-cron-jobs.js';
import { runInstallPagePhp } from './run-install-page.js';
import { setCompanyPhp } from './set-company.js';
import { setConstantsPhp } from './set-constants.js';

/** Our PHP tools by file name, written to <root>/shared/mokodeploy/ on the target. */
export const phpTools = {
  'run-install-page.php': runInstallPagePhp,
  'set-constants.php': setConstantsPhp,
  'set-company.php': setCompanyPhp,
  'enable-modules.php': enableModulesPhp,
  'create-users.php': createUsersPhp,
  'run-cron-jobs.php': runCronJobsPhp,
} as const;

export type PhpToolName = keyof typeof phpTools;
