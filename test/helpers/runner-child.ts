/**
 * Runs the demo pipeline through the runner in its own process, for kill -9 tests.
 * Usage: node --import tsx test/helpers/runner-child.ts ROOT STORE STAMP [PAUSE]
 * Every event is written to stdout as one JSON line (synchronously). PAUSE is "<event>:<n>"
 * (e.g. step-done:2, step-start:0, command:5): on that event the process freezes, so the test
 * can kill it exactly there.
 */
import { writeSync } from 'node:fs';
import { LocalHost } from '../../src/hosts/local.js';
import { MokoError } from '../../src/core/errors.js';
import { Journal, runSteps, type RunEvent } from '../../src/runner/index.js';
import { demoContext, demoPipeline } from './runner-pipeline.js';

const [root, storeDir, stamp, pause] = process.argv.slice(2) as [string, string, string, string | undefined];

const print = (value: unknown) => writeSync(1, `${JSON.stringify(value)}\n`);

function onEvent(event: RunEvent): void {
  print(event.type === 'step-failed' ? { ...event, error: event.error.message } : event);
  const n = 'index' in event ? event.index : 'number' in event ? event.number : -1;
  if (pause === `${event.type}:${n}`) {
    print({ type: 'paused', at: pause });
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // frozen until killed
  }
}

try {
  const journal = Journal.open({ storeDir, deploymentId: 'acme-demo', planHash: 'demo-hash-1' });
  const outcome = await runSteps({
    host: new LocalHost(),
    steps: demoPipeline(),
    ctx: demoContext(root, stamp),
    journal,
    lock: { root: `${root}/app`, person: 'tester', reason: 'fault injection' },
    events: onEvent,
  });
  print({ type: 'outcome', steps: outcome.steps, lockTakenOver: outcome.lockTakenOver?.pid ?? null });
} catch (e) {
  print({ type: 'error', message: e instanceof MokoError ? e.describe() : String(e) });
  process.exitCode = 1;
}
