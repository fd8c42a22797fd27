/** The deployment engine's runner: executes steps on a Host with a journal, a target lock and progress events. */
export {
  runSteps,
  type LockRequest,
  type RunOptions,
  type RunOutcome,
  type StepOutcome,
} from './run-steps.js';
export { withoutSecrets, resumedFacts } from './facts.js';
export {
  Journal,
  journalPath,
  readJournal,
  resumeState,
  type JournalRecord,
  type ResumeState,
  type RunClosing,
} from './journal.js';
export { openRunJournal, openRun, closeOpenRun, listRuns, runsDir, type RunFile } from './journal-runs.js';
export {
  acquireLock,
  readLock,
  releaseLock,
  forceReleaseLock,
  describeHolder,
  lockDir,
  type Lock,
  type LockOwner,
  type LockStatus,
  type LockTarget,
} from './lock.js';
export { planRun, planStep, renderDryRun, type PlannedStep } from './planned.js';
export { describeAction, describeCommand, describeWrite } from './describe.js';
export { fanOut, ignoreEvents, type EventSink, type RunEvent, type SkipReason } from './events.js';
export { createReporter, liveReporter, plainReporter, seconds, type Reporter } from './reporter.js';
export { pipelineFor, type Pipeline } from './pipelines.js';
export { CommandError } from './perform.js';
