import { writeSync } from 'node:fs';
import type { RunEvent } from '../../../src/runner/index.js';

/** One JSON line on stdout (the parent reads them). */
export const printLine = (value: unknown): void => {
  writeSync(1, `${JSON.stringify(value)}\n`);
};

/**
 * The engine's event handler of a child run for kill -9 tests: every event printed as one JSON line; on the
 * `pause` event ("<event>:<step id>") the process prints `paused` and freezes until killed.
 */
export const pausingEvents =
  (pause: string | undefined) =>
  (e: RunEvent): void => {
    printLine(e.type === 'step-failed' ? { ...e, error: e.error.message } : e);
    if ('step' in e && pause === `${e.type}:${e.step}`) {
      printLine({ type: 'paused' });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    }
  };
