/**
 * Runs an upgrade in its own process, for kill -9 tests (issue 5). Reads a JSON request on stdin:
 * {plan, secrets: {name: value}, overrides, storeDir, deploymentId, pause: "<event>:<step id>"}.
 * Every runner event is printed as one JSON line; on the pause event the process freezes until killed.
 */
import { readFileSync } from 'node:fs';
import { Secret } from '../../../src/core/secret.js';
import { planSchema } from '../../../src/core/plan.js';
import { LocalHost } from '../../../src/hosts/local.js';
import { loadPolicy } from '../../../src/policy/load.js';
import { pausingEvents, printLine } from './child-events.js';
import { gatherUpgradeFacts } from '../../../src/steps/upgrade/facts.js';
import { runUpgrade } from '../../../src/steps/upgrade/run-upgrade.js';
import { runCopyUpgrade } from '../../../src/steps/upgrade-copy/run-copy-upgrade.js';

const request = JSON.parse(readFileSync(0, 'utf8')) as {
  plan: unknown;
  secrets: Record<string, string>;
  overrides: Record<string, unknown>;
  storeDir: string;
  deploymentId: string;
  pause?: string;
  /** Issue 19: the upgrade by copy instead of the in-place one. */
  engine?: 'copy' | 'in-place';
};

const plan = planSchema.parse(request.plan);
const host = new LocalHost();
const facts = await gatherUpgradeFacts(host, plan, request.overrides);
const onEvent = pausingEvents(request.pause);
const result = await (request.engine === 'copy' ? runCopyUpgrade : runUpgrade)({
  host,
  ctx: {
    plan,
    policy: loadPolicy(),
    facts: { ...facts },
    outputs: {},
    secret: (n) => new Secret(request.secrets[n] ?? ''),
  },
  storeDir: request.storeDir,
  deploymentId: request.deploymentId,
  planHash: 'test-plan-hash',
  person: 'tester',
  events: onEvent,
  probe: false,
});
printLine({ type: 'result', outcome: result.outcome, reason: result.reason });
