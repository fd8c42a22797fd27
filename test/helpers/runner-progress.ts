/**
 * Runs the demo pipeline with the reporter createReporter() picks for this stdout (live on a
 * terminal, plain lines otherwise). Usage: node --import tsx test/helpers/runner-progress.ts ROOT STORE
 */
import { LocalHost } from '../../src/hosts/local.js';
import { Journal, createReporter, runSteps } from '../../src/runner/index.js';
import { demoContext, demoPipeline } from './runner-pipeline.js';

const [root, storeDir] = process.argv.slice(2) as [string, string];
const reporter = createReporter(process.stdout);
await runSteps({
  host: new LocalHost(),
  steps: demoPipeline({ slowMs: 600 }),
  ctx: demoContext(root, 'P'),
  journal: Journal.open({ storeDir, deploymentId: 'acme-demo', planHash: 'h' }),
  events: reporter.onEvent,
});
reporter.close();
