/**
 * Runs the real install pipeline through the runner in its own process, for kill -9 tests.
 * Usage: node --import tsx test/helpers/runner-install-child.ts SETUP.json [PAUSE]
 * Events go to stdout as JSON lines; PAUSE ("<event>:<n>") freezes the process on that event.
 */
import { readFileSync, writeSync } from 'node:fs';
import { LocalHost } from '../../src/hosts/local.js';
import { MokoError } from '../../src/core/errors.js';
import { loadPolicy } from '../../src/policy/load.js';
import { SecretStore } from '../../src/store/secrets.js';
import { gatherInstallFacts, installPipeline } from '../../src/steps/install/index.js';
import { Journal, runSteps, type RunEvent } from '../../src/runner/index.js';
import type { InstallSetup } from './runner-install.js';

const [setupFile, pause] = process.argv.slice(2) as [string, string | undefined];
const setup = JSON.parse(readFileSync(setupFile, 'utf8')) as InstallSetup;
const print = (value: unknown) => writeSync(1, `${JSON.stringify(value)}\n`);

function onEvent(event: RunEvent): void {
  print(event.type === 'step-failed' ? { ...event, error: event.error.describe() } : event);
  const n = 'index' in event ? event.index : 'number' in event ? event.number : -1;
  if (pause === `${event.type}:${n}`) {
    print({ type: 'paused', at: pause });
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // frozen until killed
  }
}

try {
  const host = new LocalHost();
  const { plan } = setup;
  const secrets = new SecretStore(setup.home, setup.keyFile);
  const facts = await gatherInstallFacts(host, plan, setup.overrides);
  const journal = Journal.open({ storeDir: setup.home, deploymentId: plan.id!, planHash: 'install-hash' });
  const outcome = await runSteps({
    host,
    steps: installPipeline(),
    ctx: {
      plan,
      policy: loadPolicy(),
      facts: { ...facts },
      outputs: {},
      secret: (n) => secrets.getOrGenerate(n),
    },
    journal,
    lock: { root: plan.target.root, person: 'tester', reason: 'install fault injection' },
    events: onEvent,
  });
  print({
    type: 'outcome',
    steps: outcome.steps,
    facts: { stamp: outcome.facts.stamp },
    durationMs: outcome.durationMs,
  });
} catch (e) {
  print({ type: 'error', message: e instanceof MokoError ? e.describe() : String(e) });
  process.exitCode = 1;
}
