/**
 * Runs a rollback before writes in its own process, for kill -9 tests (issue 19, the write fence). Reads a JSON
 * request on stdin: {plan, secrets: {name: value}, facts, storeDir, deploymentId, pause: "<event>:<step id>"}.
 * Every runner event is printed as one JSON line; on the pause event the process freezes until killed.
 */
import { readFileSync, writeSync } from 'node:fs';
import { Secret } from '../../../src/core/secret.js';
import { planSchema } from '../../../src/core/plan.js';
import { LocalHost } from '../../../src/hosts/local.js';
import { loadPolicy } from '../../../src/policy/load.js';
import type { RunEvent } from '../../../src/runner/index.js';
import { runRollbackBeforeWrites } from '../../../src/steps/rollback/run-before-writes.js';

const request = JSON.parse(readFileSync(0, 'utf8')) as {
  plan: unknown;
  secrets: Record<string, string>;
  facts: Record<string, unknown>;
  storeDir: string;
  deploymentId: string;
  pause: string;
};
const print = (value: unknown) => writeSync(1, `${JSON.stringify(value)}\n`);
const onEvent = (e: RunEvent) => {
  print(e.type === 'step-failed' ? { ...e, error: e.error.message } : e);
  if ('step' in e && request.pause === `${e.type}:${e.step}`) {
    print({ type: 'paused' });
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  }
};
const result = await runRollbackBeforeWrites({
  host: new LocalHost(),
  ctx: {
    plan: planSchema.parse(request.plan),
    policy: loadPolicy(),
    facts: request.facts,
    outputs: {},
    secret: (n) => new Secret(request.secrets[n] ?? ''),
  },
  storeDir: request.storeDir,
  deploymentId: request.deploymentId,
  planHash: 'test-plan-hash',
  person: 'tester',
  events: onEvent,
  probe: false,
  checkHealth: false,
});
print({ type: 'result', ok: result.ok, reason: result.reason });
