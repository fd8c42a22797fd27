import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SshHost } from '../../src/hosts/ssh.js';
import { LocalHost } from '../../src/hosts/local.js';
import { MokoError } from '../../src/core/errors.js';
import {
  Journal,
  acquireLock,
  readLock,
  releaseLock,
  runSteps,
  type RunEvent,
} from '../../src/runner/index.js';
import { startSshd, type Sshd } from '../helpers/services/index.js';
import { demoContext, demoPassword, demoPipeline } from '../helpers/runner-pipeline.js';
import { snapshotTree } from '../helpers/runner-tree.js';

// real processes on a 2-core machine shared with other suites: generous time, never a retry
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

/** The runner against a real OpenSSH server on 127.0.0.1 (the "remote" tree is a temp dir here). */
let sshd: Sshd;
let host: SshHost;
const base = mkdtempSync(join(tmpdir(), 'moko-runner-ssh-'));

beforeAll(async () => {
  sshd = await startSshd();
  host = new SshHost({
    host: '127.0.0.1',
    port: sshd.port,
    user: 'root',
    identityFile: sshd.clientKeyPath,
    knownHostsFile: sshd.knownHostsPath,
  });
});
afterAll(async () => {
  await host?.close();
  await sshd?.stop();
  rmSync(base, { recursive: true, force: true });
});

describe('runner over SSH', () => {
  it('runs the pipeline on the server: dry-run listing = executed commands, lock released, same tree as locally', async () => {
    const root = join(base, 'a');
    const steps = demoPipeline({ slowMs: 10 });
    const dry = await runSteps({ host, steps, ctx: demoContext(root, 'A'), dryRun: true });
    const events: RunEvent[] = [];
    const journal = Journal.open({
      storeDir: join(base, 'store-a'),
      deploymentId: 'acme-demo',
      planHash: 'h',
    });
    const lock = { root: `${root}/app`, person: 'alice', reason: 'ssh test' };
    const outcome = await runSteps({
      host,
      steps,
      ctx: demoContext(root, 'A'),
      journal,
      lock,
      events: (e) => events.push(e),
    });
    expect(outcome.steps.map((s) => s.status)).toEqual(Array(6).fill('done'));
    const executed = events.flatMap((e) => (e.type === 'command' ? [`${e.number}. ${e.text}`] : []));
    const listed = dry
      .listing!.split('\n')
      .filter((l) => /^\s+\d+\. /.test(l))
      .map((l) => l.trim());
    expect(executed).toEqual(listed);
    expect(statSync(`${root}/app/shared/conf/conf.php`).mode & 0o777).toBe(0o440);
    expect(readFileSync(`${root}/app/shared/conf/conf.php`, 'utf8')).toContain(demoPassword.reveal());
    expect(existsSync(`${root}/app/.mokodeploy-lock`)).toBe(false);
    // the same steps on this machine give the same tree
    const local = join(base, 'local');
    const localJournal = Journal.open({ storeDir: join(base, 'store-l'), deploymentId: 'd', planHash: 'h' });
    await runSteps({ host: new LocalHost(), steps, ctx: demoContext(local, 'A'), journal: localJournal });
    expect(snapshotTree(`${root}/app`)).toEqual(snapshotTree(`${local}/app`));
  });

  it('a lock held through SSH refuses a second run and names the holder', async () => {
    const root = join(base, 'locked', 'app');
    const held = await acquireLock(
      { host, root },
      { person: 'alice', deploymentId: 'acme-2026-12', reason: 'upgrade' },
    );
    const e = await acquireLock(
      { host, root },
      { person: 'bob', deploymentId: 'acme-2026-12', reason: 'upgrade' },
    ).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MokoError);
    expect((e as MokoError).message).toContain(
      `root@127.0.0.1:${sshd.port}:${root} is locked by alice since ${held.owner.since}`,
    );
    await releaseLock(held);
    expect((await readLock({ host, root })).held).toBe(false);
  });

  it('a failing remote command names the step and carries the remote stderr', async () => {
    const journal = Journal.open({
      storeDir: join(base, 'store-f'),
      deploymentId: 'acme-demo',
      planHash: 'h',
    });
    const steps = [
      {
        id: 'demo:remote-fail',
        title: 'fails',
        policyRef: 'test',
        plan: () => [
          {
            kind: 'run' as const,
            description: 'list a missing dir',
            command: { argv: ['ls', '/nonexistent-moko'] },
          },
        ],
      },
    ];
    const e = (await runSteps({ host, steps, ctx: demoContext(base, 'A'), journal }).catch(
      (x: unknown) => x,
    )) as MokoError;
    expect(e.kind).toBe('target');
    expect(e.message).toBe('step demo:remote-fail failed: list a missing dir: exit code 2');
    expect(e.where).toBe(`root@127.0.0.1:${sshd.port}`);
    expect(e.details.join('\n')).toMatch(/nonexistent-moko.*No such file/);
  });
});
