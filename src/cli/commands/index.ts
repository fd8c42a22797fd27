import type { CommandModule } from './module.js';
import { serveCommands } from './serve.js';
import { policyCommands } from './policy.js';
import { planCommands } from './plan.js';
import { recordCommands } from './records.js';
import { workflowCommands } from './workflow.js';
import { checklistCommands } from './checklist.js';
import { signoffCommands } from './signoff.js';
import { issueCommands } from './issues.js';
import { rollbackCommands } from './rollback.js';
import { runRecordCommands } from './run-record.js';
import { metricsCommands } from './metrics.js';
import { auditCommands } from './audit.js';
import { secretCommands } from './secret.js';
import { backupCommands } from './backup.js';
import { upgradeCommands } from './upgrade.js';
import { rollbackRunCommands } from './rollback-run.js';
import { rehearseCommands } from './rehearse.js';
import { migrateCommands } from './migrate.js';
import { deployCommands } from './deploy.js';
import { lockCommands } from './lock.js';
import { validateCommands } from './validate.js';
import { verifyCommands } from './verify.js';
import { reportCommands } from './report.js';
import { hypercareCommands } from './hypercare.js';

/** Every command file; a new one is added here. */
export const commandModules: CommandModule[] = [
  policyCommands,
  planCommands,
  recordCommands,
  workflowCommands,
  checklistCommands,
  signoffCommands,
  issueCommands,
  rollbackCommands,
  runRecordCommands,
  metricsCommands,
  auditCommands,
  secretCommands,
  backupCommands,
  upgradeCommands,
  rollbackRunCommands,
  rehearseCommands,
  migrateCommands,
  deployCommands,
  lockCommands,
  validateCommands,
  serveCommands,
  verifyCommands,
  reportCommands,
  hypercareCommands,
];
