import type { VerifyCheck } from '../check.js';
import { adminAccountCheck } from './admin-account.js';
import { backupJobsCheck } from './backup-jobs.js';
import { browserLoginCheck } from './browser-login.js';
import { cachingCheck, cdnCheck } from './caching.js';
import { databaseAccessCheck } from './database-access.js';
import { dolibarrHealthCheck } from './dolibarr-health.js';
import { errorLogsCheck } from './error-logs.js';
import { firewallCheck } from './firewall.js';
import { headersCheck } from './headers.js';
import { loginHttpCheck } from './login-http.js';
import { pageLoadCheck } from './page-load.js';
import { permissionsCheck } from './permissions.js';
import { planUsersCheck } from './plan-users.js';
import { queriesCheck } from './queries.js';
import { resourcesCheck } from './resources.js';
import { tlsCheck } from './tls.js';

/**
 * The post-deployment checklist as checks, in policy order: functional, security, performance.
 * Each check names the policy item(s) it reports on; `verify --only` picks checks by id.
 */
export const functionalChecks: VerifyCheck[] = [
  loginHttpCheck,
  browserLoginCheck,
  planUsersCheck,
  dolibarrHealthCheck,
];
export const securityChecks: VerifyCheck[] = [
  tlsCheck,
  headersCheck,
  permissionsCheck,
  databaseAccessCheck,
  adminAccountCheck,
  firewallCheck,
  backupJobsCheck,
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
