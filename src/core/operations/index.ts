import type { AnyOperation } from '../operation.js';
import { approve, revisePlan, submit } from './approval.js';
import { tick, untick } from './checklist.js';
import { cancel, close, finishRun, markReady, recordManualRun, schedule, startRun } from './lifecycle.js';
import { windowException } from './lifecycle.js';
import { recordDocument, recordKnowledgeBase } from './documents.js';
import { recordValidation, recordVerification } from './verification.js';
import { goLive, signoff } from './signoff.js';
import { analyseRollback, recordRollback, retry } from './rollback.js';
import {
  checkIn,
  deliverHandoff,
  feedback,
  holdTraining,
  openIssue,
  planTraining,
  recordFacts,
  recordLesson,
  recordSatisfaction,
  resolveIssue,
} from './aftercare.js';
import { recordMigration } from './migration.js';
import { abortRun } from './abort.js';
import { packageException, recordPackage } from './package.js';

/** Every operation by name: the CLI and the HTTP API look them up here. */
const table = {
  submit,
  approve,
  'revise-plan': revisePlan,
  tick,
  untick,
  ready: markReady,
  schedule,
  'start-run': startRun,
  'finish-run': finishRun,
  'record-run': recordManualRun,
  cancel,
  close,
  'record-validation': recordValidation,
  'record-verification': recordVerification,
  signoff,
  'go-live': goLive,
  rollback: recordRollback,
  'rollback-analysis': analyseRollback,
  retry,
  'issue-open': openIssue,
  'issue-resolve': resolveIssue,
  'training-plan': planTraining,
  'training-held': holdTraining,
  'support-checkin': checkIn,
  'support-feedback': feedback,
  'handoff-deliver': deliverHandoff,
  satisfaction: recordSatisfaction,
  lesson: recordLesson,
  'window-exception': windowException,
  'record-document': recordDocument,
  'knowledge-base': recordKnowledgeBase,
  'abort-run': abortRun,
  'record-facts': recordFacts, 'record-migration': recordMigration,
  'record-package': recordPackage, 'package-exception': packageException,
};

export type OperationName = keyof typeof table;
export const operations = table as unknown as Record<OperationName, AnyOperation>;

export function isOperationName(name: string): name is OperationName {
  return Object.hasOwn(table, name);
}
