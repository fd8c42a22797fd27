import type { MokoError } from '../core/errors.js';
import type { LockOwner } from './lock.js';

/**
 * What a run reports while it goes: the reporter renders these, tests record them, the CLI
 * copies `lock-taken-over` into the audit trail. Command text is already redacted.
 */
export type RunEvent =
  | { type: 'run-start'; at: string; deploymentId: string; total: number; resumed: boolean }
  | { type: 'lock-taken-over'; at: string; previous: LockOwner }
  | { type: 'step-start'; at: string; step: string; title: string; index: number; total: number }
  | {
      type: 'step-skipped';
      at: string;
      step: string;
      title: string;
      index: number;
      total: number;
      reason: SkipReason;
    }
  | { type: 'command'; at: string; step: string; number: number; text: string }
  | { type: 'step-done'; at: string; step: string; index: number; total: number; durationMs: number }
  | { type: 'step-failed'; at: string; step: string; index: number; total: number; error: MokoError }
  | { type: 'run-done'; at: string; durationMs: number }
  | { type: 'run-failed'; at: string; durationMs: number; step?: string };

/** `journal`: recorded done by an interrupted run of the same plan; `in-place`: the step's isDone probe said so. */
export type SkipReason = 'journal' | 'in-place';

export type EventSink = (event: RunEvent) => void;

export const ignoreEvents: EventSink = () => {};

/** Several sinks as one, e.g. the reporter and a test recorder. */
export function fanOut(...sinks: EventSink[]): EventSink {
  return (event) => {
    for (const sink of sinks) sink(event);
  };
}
