import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocalHost } from '../../src/hosts/local.js';
import { MokoError } from '../../src/core/errors.js';
import { Secret } from '../../src/core/secret.js';
import type { Step } from '../../src/steps/step.js';
import { Journal, plainReporter, readJournal, runSteps, type RunEvent } from '../../src/runner/index.js';
import { demoContext, demoPassword, demoPipeline } from '../helpers/runner-pipeline.js';
import { snapshotTree } from '../helpers/runner-tree.js';

// real processes on a 2-core machine shared with other suites: generous time, never a retry
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const host = new LocalHost();
const base = mkdtempSync(join(tmpdir(), 'moko-runner-run-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

let root: string;
let store: string;
let n = 0;
beforeEach(() => {
  n += 1;
  root = join(base, `t${n}`);
  store = join(base, `t${n}-store`);
});

const journal = (planHash = 'hash-1') =>
  Journal.open({ storeDir: store, deploymentId: 'acme-demo', planHash });
const lock = () => ({ root: `${root}/app`, person: 'alice', reason: 'test' });

function recorder() {
  const events: RunEvent[] = [];
  return { events, sink: (e: RunEvent) => events.push(e) };
}

const failing = (stderr: string, stdin?: Secret): Step => ({
  id: 'demo:broken',
  title: 'A step that fails',
  policyRef: 'test',
  plan: () => [
    {
      kind: 'run',
      description: 'fail on purpose',
      command: { argv: ['sh', '-c', `cat >&2; echo "${stderr}" >&2; exit 3`], stdin },
    },
  ],
});

describe('runSteps on the local host', () => {
  it('runs every step in order: files with their modes, commands, secret config', async () => {
    const { events, sink } = recorder();
    const outcome = await runSteps({
      host,
      steps: demoPipeline({ slowMs: 10 }),
      ctx: demoContext(root, 'A'),
      journal: journal(),
      lock: lock(),
      events: sink,
    });
    expect(outcome.status).toBe('done');
    expect(outcome.steps.map((s) => s.status)).toEqual(Array(6).fill('done'));
    expect(outcome.outputs).toEqual({ releaseDir: 'releases/1.0.0-A' });
    expect(outcome.durationMs).toBeGreaterThan(0);
    expect(statSync(`${root}/app/shared/conf/conf.php`).mode & 0o777).toBe(0o440);
    expect(readFileSync(`${root}/app/shared/conf/conf.php`, 'utf8')).toContain(demoPassword.reveal());
    expect(statSync(`${root}/app/data`).mode & 0o777).toBe(0o750);
    expect(readFileSync(`${root}/app/current/htdocs/index.php`, 'utf8')).toContain('hello');
    expect(existsSync(`${root}/app/.mokodeploy-lock`)).toBe(false);
    expect(events.map((e) => e.type).filter((t) => t !== 'command')).toEqual([
      'run-start',
      ...Array(6).fill(['step-start', 'step-done']).flat(),
      'run-done',
    ]);
    expect(JSON.stringify(events)).not.toContain(demoPassword.reveal());
    const journaled = readJournal(`${store}/journals/acme-demo.jsonl`);
    expect(journaled.at(-1)?.type).toBe('run-finished');
    expect(JSON.stringify(journaled)).not.toContain(demoPassword.reveal());
  });

  it('a second deploy changes nothing: in-place steps are skipped and the tree is identical', async () => {
    const steps = demoPipeline({ slowMs: 10 });
    await runSteps({ host, steps, ctx: demoContext(root, 'A'), journal: journal(), lock: lock() });
    const before = snapshotTree(`${root}/app`);
    const { events, sink } = recorder();
    const again = await runSteps({
      host,
      steps,
      ctx: demoContext(root, 'A'),
      journal: journal(),
      lock: lock(),
      events: sink,
    });
    expect(again.steps.find((s) => s.step === 'demo:marker')?.status).toBe('in-place');
    expect(events.find((e) => e.type === 'step-skipped')).toMatchObject({
      step: 'demo:marker',
      reason: 'in-place',
    });
    expect(snapshotTree(`${root}/app`)).toEqual(before);
  });

  it('a failing command fails its step: target error naming step, command and stderr tail; lock released', async () => {
    const steps = [
      ...demoPipeline({ slowMs: 10 }).slice(0, 2),
      failing('disk full'),
      ...demoPipeline().slice(2),
    ];
    const { events, sink } = recorder();
    const error = await runSteps({
      host,
      steps,
      ctx: demoContext(root, 'A'),
      journal: journal(),
      lock: lock(),
      events: sink,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MokoError);
    const e = error as MokoError;
    expect(e.kind).toBe('target');
    expect(e.message).toBe('step demo:broken failed: fail on purpose: exit code 3');
    expect(e.details[0]).toMatch(/^command: sh -c 'cat >&2; echo "disk full" >&2; exit 3'$/);
    expect(e.details).toContain('| disk full');
    expect(events.at(-2)).toMatchObject({ type: 'step-failed', step: 'demo:broken', index: 2 });
    expect(existsSync(`${root}/app/.mokodeploy-lock`)).toBe(false);
    expect(existsSync(`${root}/app/shared/conf/conf.php`)).toBe(false); // later steps did not run
    const last = readJournal(`${store}/journals/acme-demo.jsonl`).at(-1);
    expect(last).toMatchObject({ type: 'run-failed', step: 'demo:broken' });
  });

  it('after a failure, the next run resumes at the failed step', async () => {
    const good = demoPipeline({ slowMs: 10 });
    const broken = [...good.slice(0, 2), failing('nope'), ...good.slice(2)];
    await expect(
      runSteps({ host, steps: broken, ctx: demoContext(root, 'A'), journal: journal() }),
    ).rejects.toThrow(/demo:broken/);
    const { events, sink } = recorder();
    const fixed = [...good.slice(0, 2), { ...failing(''), plan: () => [] }, ...good.slice(2)];
    const outcome = await runSteps({
      host,
      steps: fixed,
      ctx: demoContext(root, 'B'),
      journal: journal(),
      events: sink,
    });
    expect(outcome.steps.map((s) => s.status)).toEqual([
      'journal',
      'journal',
      'done',
      'done',
      'done',
      'done',
      'done',
    ]);
    expect(outcome.outputs.releaseDir).toBe('releases/1.0.0-A'); // output and facts from the journal
    expect(events[0]).toMatchObject({ type: 'run-start', resumed: true });
  });

  it('secrets never reach errors: stderr echoing a secret passed by stdin is redacted', async () => {
    const secret = new Secret('hunter2-very-secret');
    const error = (await runSteps({
      host,
      steps: [failing('x', secret)],
      ctx: demoContext(root, 'A'),
      journal: journal(),
    }).catch((e: unknown) => e)) as MokoError;
    expect(error.describe()).toContain('[redacted]');
    expect(error.describe()).not.toContain('hunter2-very-secret');
    expect(readFileSync(`${store}/journals/acme-demo.jsonl`, 'utf8')).not.toContain('hunter2-very-secret');
  });

  it('refuses a journal left by an interrupted run of another plan hash', async () => {
    await expect(
      runSteps({ host, steps: [failing('x')], ctx: demoContext(root, 'A'), journal: journal('hash-1') }),
    ).rejects.toThrow();
    let error: unknown;
    try {
      journal('hash-2');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MokoError);
    expect((error as MokoError).kind).toBe('conflict');
    expect((error as MokoError).message).toMatch(
      /unfinished run in this journal was for plan hash-1, this plan is hash-2/,
    );
    expect((error as MokoError).fix).toMatch(/move the journal aside/);
  });
});

describe('progress for a person', () => {
  it('off a terminal: timestamped plain lines, step by step, with the total; never a secret', async () => {
    let text = '';
    const reporter = plainReporter({ write: (s: string) => (text += s) });
    const outcome = await runSteps({
      host,
      steps: demoPipeline({ slowMs: 10 }),
      ctx: demoContext(root, 'A'),
      journal: journal(),
      lock: lock(),
      events: reporter.onEvent,
    });
    const lines = text.trimEnd().split('\n');
    expect(lines.every((l) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /.test(l))).toBe(true);
    expect(lines[0]).toMatch(/ starting deployment acme-demo \(6 steps\)$/);
    expect(text).toMatch(
      / \[3\/6\] demo:config — Write conf\.php\n.* {5}6\. write \S+conf\.php \(mode 0440, 55 bytes, secret\)\n.* \[3\/6\] demo:config done in \d+\.\ds\n/,
    );
    expect(lines.at(-1)).toMatch(
      new RegExp(`deployment steps finished in ${(outcome.durationMs / 1000).toFixed(1)}s$`),
    );
    expect(text).not.toContain(demoPassword.reveal());
  });
});

describe('dry run', () => {
  it('lists every command in order, numbered, by step, and touches nothing', async () => {
    const outcome = await runSteps({
      host,
      steps: demoPipeline(),
      ctx: demoContext(root, 'A'),
      journal: journal(),
      lock: lock(),
      dryRun: true,
    });
    expect(existsSync(root)).toBe(false);
    expect(existsSync(store)).toBe(false);
    expect(outcome.listing).toContain('[3/6] demo:config — Write conf.php');
    expect(outcome.listing).toContain(
      `    6. write ${root}/app/shared/conf/conf.php (mode 0440, 55 bytes, secret)`,
    );
    expect(outcome.listing).not.toContain(demoPassword.reveal());
  });

  it('the listing equals the commands a real run executed', async () => {
    const steps = demoPipeline({ slowMs: 10 });
    const dry = await runSteps({ host, steps, ctx: demoContext(root, 'A'), dryRun: true });
    const listed = dry
      .listing!.split('\n')
      .filter((l) => /^\s+\d+\. /.test(l))
      .map((l) => l.trim());
    const { events, sink } = recorder();
    await runSteps({
      host,
      steps,
      ctx: demoContext(root, 'A'),
      journal: journal(),
      lock: lock(),
      events: sink,
    });
    const executed = events.flatMap((e) => (e.type === 'command' ? [`${e.number}. ${e.text}`] : []));
    expect(executed).toHaveLength(11);
    expect(executed).toEqual(listed);
  });
});
