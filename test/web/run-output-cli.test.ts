import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../src/core/secret.js';
import { LocalHost } from '../../src/hosts/local.js';
import { Journal, readJournal, runSteps } from '../../src/runner/index.js';
import { journalPath } from '../../src/runner/journal.js';
import type { Step } from '../../src/steps/step.js';
import { demoContext } from '../helpers/runner-pipeline.js';
import { ApiClient } from './helpers/api-client.js';
import { password, startDashboard, type Dashboard } from './helpers/dashboard.js';
import { seedDeployment } from './helpers/walk.js';

/**
 * A run started from the CLI writes no background log (only the server's start-deploy.ts does): the dashboard must
 * still show what the failing command said, from the run-failed line the runner keeps in the journal (redacted:
 * the plan's secrets and any value after a secret-naming word), and not an older background run's log.
 */
let d: Dashboard;
let c: ApiClient;
let id: string;
const dbPassword = new Secret('Sup3r-s3cret-db-passw0rd');

// what a failing mysql import prints: 30 lines, a password echoed back, the cause last
const failing: Step = {
  id: 'demo:import',
  title: 'Import the database',
  policyRef: 'test',
  plan: () => [
    {
      kind: 'run',
      description: 'import the dump',
      command: {
        argv: [
          'sh',
          '-c',
          'i=1; while [ $i -le 28 ]; do echo "row $i imported"; i=$((i+1)); done; echo "connect: password=$1 $2" >&2; echo "ERROR 1062 (23000) at line 29: Duplicate entry" >&2; exit 1',
          'import',
          dbPassword.reveal(),
          dbPassword.reveal(),
        ],
      },
    },
  ],
};

beforeAll(async () => {
  d = await startDashboard();
  c = new ApiClient(d.url);
  await c.login('tina', password('tina'));
  id = await seedDeployment(d.app, d.planYaml({ id: 'cli-fail-1' }), 'scheduled');
  // an older run started from the dashboard left its log: not what this run said
  mkdirSync(join(d.app.home, 'logs'), { recursive: true });
  const old = join(d.app.home, 'logs', `deploy-${id}-2026-01-01T00-00-00-000Z.log`);
  writeFileSync(old, 'an older background run\n| something else failed then\n');
  utimesSync(old, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
  const planHash = (await (await d.app.store()).get(id))!.record.planHash;
  const journal = Journal.open({ storeDir: d.app.home, deploymentId: id, planHash });
  const ctx = demoContext(join(d.dir, 'target'), 'A');
  await expect(runSteps({ host: new LocalHost(), steps: [failing], ctx, journal })).rejects.toThrow(
    /step demo:import failed/,
  );
}, 120_000);
afterAll(async () => d?.close());

describe('a run started from the CLI that fails, on the dashboard', () => {
  it('the journal keeps the tail of the failing command, redacted', () => {
    const failed = readJournal(journalPath(d.app.home, id)).find((j) => j.type === 'run-failed');
    expect(failed?.type).toBe('run-failed');
    const output = failed?.type === 'run-failed' ? failed.output : undefined;
    expect(output).toHaveLength(15);
    expect(output?.at(-1)).toBe('ERROR 1062 (23000) at line 29: Duplicate entry');
    expect(output?.at(-2)).toBe('connect: password=[redacted] [redacted]');
    expect(output?.[0]).toBe('row 16 imported');
    expect(JSON.stringify(failed)).not.toContain(dbPassword.reveal());
  });

  it('the deployment page shows those last lines, not the older background log', async () => {
    const r = await c.get(`/deployments/${id}`);
    expect(r.status).toBe(200);
    const pre = /<pre class="output" id="run-output">([^<]*)<\/pre>/.exec(r.text)?.[1];
    expect(pre?.split('\n')).toEqual([
      ...Array.from({ length: 13 }, (_, i) => `row ${i + 16} imported`),
      'connect: password=[redacted] [redacted]',
      'ERROR 1062 (23000) at line 29: Duplicate entry',
    ]);
    expect(r.text).not.toContain('an older background run');
    expect(r.text).not.toContain(dbPassword.reveal());
  });
});
