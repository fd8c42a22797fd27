/**
 * Runs a rollback before writes in its own process, for kill -9 tests (issue 19, the write fence). Reads a JSON
 * request on stdin: {plan, secrets: {name: value}, facts, storeDir, deploymentId, pause: "<event>:<step id>"}.
 * Every runner event is printed as one JSON line; on the pause event the process freezes until killed.
 */
import { readFileSync } from 'node:fs';
import { Secret } from '../../../src/core/secret.js';
import { planSchema } from '../../../src/core/plan.js';
import { LocalHost } from '../../../src/hosts/local.js';
import { loadPolicy } from '../../../src/policy/load.js';
import { pausingEvents, printLine } from './child-events.js';
import { runRollbackBeforeWrites } from '../../../src/steps/rollback/run-before-writes.js';

const request = JSON.parse(readFileSync(0, 'utf8')) as {
  plan: unknown;
  secrets: Record<string, string>;
  facts: Record<string, unknown>;
  storeDir: string;
  deploymentId: string;
  pause: string;
};

const onEvent = pausingEvents(request.pause);
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
printLine({ type: 'result', ok: result.ok, reason: result.reason });
