import type { VerifyCheck } from '../check.js';
import { adminAccountCheck } from './admin-account.js';
import { backupsCheck } from '../../checks/backups.js';
import { firewallCheck } from '../../checks/firewall.js';
import { fromValidation } from './from-validation.js';
import { browserLoginCheck } from './browser-login.js';
import { cachingCheck, cdnCheck } from './caching.js';
import { databaseAccessCheck } from './database-access.js';
import { dolibarrHealthCheck } from './dolibarr-health.js';
import { emailCheck } from './email.js';
import { workflowsCheck } from './workflows.js';
import { reportsCheck } from './reports.js';
import { errorLogsCheck } from './error-logs.js';
import { headersCheck } from './headers.js';
import { loginHttpCheck } from './login-http.js';
import { pageLoadCheck } from './page-load.js';
import { permissionsCheck } from './permissions.js';
import { planUsersCheck } from './plan-users.js';
import { queriesCheck } from './queries.js';
import { resourcesCheck } from './resources.js';
import { tlsCheck } from './tls.js';
import { installedFilesCheck } from './installed-files.js';

/**
 * The post-deployment checklist as checks, in policy order: functional, security, performance.
 * Each check names the policy item(s) it reports on; `verify --only` picks checks by id.
 */
export const functionalChecks: VerifyCheck[] = [
  loginHttpCheck,
  browserLoginCheck,
  planUsersCheck,
  dolibarrHealthCheck,
  workflowsCheck,
  reportsCheck,
  emailCheck,
];
export const securityChecks: VerifyCheck[] = [
  tlsCheck,
  headersCheck,
  permissionsCheck,
  databaseAccessCheck,
  adminAccountCheck,
  fromValidation(firewallCheck, 'verify.firewall'),
  fromValidation(backupsCheck, 'verify.backup-jobs'),
  installedFilesCheck, // issue 22
];
export const performanceChecks: VerifyCheck[] = [
  pageLoadCheck,
  queriesCheck,
  errorLogsCheck,
  resourcesCheck,
  cachingCheck,
  cdnCheck,
];

export const allChecks: VerifyCheck[] = [...functionalChecks, ...securityChecks, ...performanceChecks];
