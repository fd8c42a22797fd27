import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { LocalHost } from '../../src/hosts/local.js';
import { MokoError } from '../../src/core/errors.js';
import {
  Journal,
  acquireLock,
  forceReleaseLock,
  lockDir,
  readLock,
  releaseLock,
  runSteps,
  type LockOwner,
} from '../../src/runner/index.js';
import { demoContext, demoPipeline } from '../helpers/runner-pipeline.js';
import { spawnHelper } from '../helpers/runner-spawn.js';
import { describeTakeOver } from '../../src/runner/lock.js';
import { SshHost } from '../../src/hosts/ssh.js';
import { deployUser, ensureUser, startSshd } from '../helpers/services/index.js';
import { sshTargetOf } from '../helpers/services/sshd.js';

// real processes on a 2-core machine shared with other suites: generous time, never a retry
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const host = new LocalHost();
const base = mkdtempSync(join(tmpdir(), 'moko-runner-lock-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

let n = 0;
const freshRoot = () => join(base, `t${++n}`, 'app');
const who = (deploymentId: string, person = 'alice') => ({ person, deploymentId, reason: 'deploy' });

async function caught(p: Promise<unknown>): Promise<MokoError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(MokoError);
  return e as MokoError;
}

/** A lock left by a run whose process is gone (pid of an exited child), as kill -9 leaves it. */
function leaveDeadLock(root: string, deploymentId: string): LockOwner {
  const pid = spawnSync('true').pid!;
  const owner: LockOwner = {
    person: 'bob',
    deploymentId,
    reason: 'deploy',
    since: '2026-11-27T08:00:00.000Z',
    pid,
    toolHost: hostname(),
    runId: 'dead',
  };
  mkdirSync(lockDir(root), { recursive: true });
  writeFileSync(join(lockDir(root), 'owner.json'), JSON.stringify(owner));
  return owner;
}

describe('per-target lock', () => {
  it('is acquired atomically on the target with who, when, which deployment, why, pid, tool host', async () => {
    const root = freshRoot();
    const lock = await acquireLock({ host, root }, who('acme-2026-12'));
    const status = await readLock({ host, root });
    expect(status).toMatchObject({
      held: true,
      holderAlive: true,
      owner: {
        person: 'alice',
        deploymentId: 'acme-2026-12',
        reason: 'deploy',
        pid: process.pid,
        toolHost: hostname(),
      },
    });
    await releaseLock(lock);
    expect(await readLock({ host, root })).toEqual({ held: false, dir: lockDir(root) });
  });

  it('a held lock refuses another run with a conflict naming the holder and how to release it', async () => {
    const root = freshRoot();
    const lock = await acquireLock({ host, root }, who('acme-2026-12', 'alice'));
    const e = await caught(acquireLock({ host, root }, who('acme-2026-12', 'carol')));
    expect(e.kind).toBe('conflict');
    expect(e.message).toContain(`is locked by alice since ${lock.owner.since} for deployment acme-2026-12`);
    expect(e.fix).toBe(
      'wait for that run to finish; if it died, release the lock deliberately: mokodeploy lock release acme-2026-12 --reason "…"',
    );
    await releaseLock(lock);
  });

  it('runSteps refuses to start while another run holds the target, and changes nothing', async () => {
    const root = freshRoot();
    const held = await acquireLock({ host, root }, who('other-deployment', 'dave'));
    const journal = Journal.open({
      storeDir: join(root, '..', 'store'),
      deploymentId: 'acme-demo',
      planHash: 'h',
    });
    const e = await caught(
      runSteps({
        host,
        steps: demoPipeline(),
        ctx: demoContext(join(root, '..'), 'A'),
        journal,
        lock: { root, person: 'alice', reason: 'deploy' },
      }),
    );
    expect(e.kind).toBe('conflict');
    expect(e.message).toMatch(/locked by dave since .* for deployment other-deployment/);
    expect(existsSync(join(root, 'releases'))).toBe(false);
    expect(existsSync(journal.path)).toBe(false);
    await releaseLock(held);
  });

  it("a dead run's lock is not taken over for another deployment; the message says the holder is gone", async () => {
    const root = freshRoot();
    leaveDeadLock(root, 'acme-2026-11');
    const e = await caught(acquireLock({ host, root }, who('acme-2026-12')));
    expect(e.message).toMatch(
      /locked by bob .* for deployment acme-2026-11 .* that process is no longer running/,
    );
  });

  it("the same deployment takes over its own dead run's lock (resume after kill -9) and reports it", async () => {
    const root = freshRoot();
    const dead = leaveDeadLock(root, 'acme-2026-12');
    const lock = await acquireLock({ host, root }, who('acme-2026-12'));
    expect(lock.tookOver).toEqual(dead);
    expect((await readLock({ host, root })).held && (await readLock({ host, root }))).toMatchObject({
      owner: { runId: lock.owner.runId },
    });
    await releaseLock(lock);
  });

  it('force release removes a left-behind lock and returns what it released, for the audit trail', async () => {
    const root = freshRoot();
    const dead = leaveDeadLock(root, 'acme-2026-11');
    const released = await forceReleaseLock({ host, root });
    expect(released).toMatchObject({ held: true, owner: dead, holderAlive: false });
    expect(await readLock({ host, root })).toMatchObject({ held: false });
    await releaseLock(await acquireLock({ host, root }, who('acme-2026-12')));
  });

  it('a lock without owner.json (died while acquiring) is reported and can be force-released', async () => {
    const root = freshRoot();
    mkdirSync(lockDir(root), { recursive: true });
    const e = await caught(acquireLock({ host, root }, who('acme-2026-12')));
    expect(e.message).toContain('an unknown run (owner.json missing');
    expect(await forceReleaseLock({ host, root })).toEqual({
      held: true,
      dir: lockDir(root),
      owner: undefined,
      holderAlive: undefined,
    });
  });

  it('normal release refuses to remove a lock that another run now holds', async () => {
    const root = freshRoot();
    const mine = await acquireLock({ host, root }, who('acme-2026-12'));
    await forceReleaseLock({ host, root });
    const theirs = await acquireLock({ host, root }, who('acme-2026-12', 'erin'));
    const e = await caught(releaseLock(mine));
    expect(e.kind).toBe('conflict');
    expect((await readLock({ host, root })).held).toBe(true);
    await releaseLock(theirs);
  });

  it('of ten runs racing for the same target, exactly one gets the lock', async () => {
    const root = freshRoot();
    const attempts = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => acquireLock({ host, root }, who(`deployment-${i}`))),
    );
    const won = attempts.filter((a) => a.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const lost = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    expect(lost.every((a) => (a.reason as MokoError).kind === 'conflict')).toBe(true);
    const winner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireLock>>>).value;
    expect(await readLock({ host, root })).toMatchObject({ owner: { runId: winner.owner.runId } });
    await releaseLock(winner);
  });

  it('a run whose lock was taken from it still succeeds, warns, and leaves the other lock alone', async () => {
    const root = freshRoot();
    const intruder = {
      person: 'mallory',
      deploymentId: 'other',
      reason: 'x',
      since: 'now',
      pid: 1,
      toolHost: 'elsewhere',
      runId: 'theirs',
    };
    const steal = {
      id: 'demo:steal-lock',
      title: 'someone force-releases and re-locks mid-run',
      policyRef: 'test',
      plan: () => [
        {
          kind: 'write' as const,
          description: 'overwrite owner',
          file: { path: join(lockDir(root), 'owner.json'), content: JSON.stringify(intruder) },
        },
      ],
    };
    const journal = Journal.open({
      storeDir: join(root, '..', 'store'),
      deploymentId: 'acme-demo',
      planHash: 'h',
    });
    const outcome = await runSteps({
      host,
      steps: [steal],
      ctx: demoContext(join(root, '..'), 'A'),
      journal,
      lock: { root, person: 'alice', reason: 'deploy' },
    });
    expect(outcome.status).toBe('done');
    expect(outcome.warnings).toEqual([
      expect.stringMatching(/^the target lock was not released: the lock .* is no longer held by this run/),
    ]);
    expect(await readLock({ host, root })).toMatchObject({ held: true, owner: { person: 'mallory' } });
  });
});

/** Processes on this machine whose environment carries the run's marker (as orphans.ts finds them). */
function marked(runId: string): number[] {
  const r = spawnSync(
    'sh',
    ['-c', 'grep -lsaF -e "$1" /proc/[0-9]*/environ', 'find', `MOKODEPLOY_RUN=${runId}`],
    {
      encoding: 'utf8',
    },
  );
  return r.stdout
    .split('\n')
    .map((l) => /^\/proc\/(\d+)\/environ$/.exec(l)?.[1])
    .filter((p): p is string => p !== undefined)
    .map(Number);
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('issue 14 point 2: orphans of a run killed with -9', () => {
  it('the next run takes the lock over, stops what the dead run left running, and says so', async () => {
    const root = freshRoot();
    mkdirSync(root, { recursive: true });
    const started = join(root, '..', 'started');
    const late = join(root, '..', 'late');
    const child = spawnHelper('runner-orphan-child.ts', [root, started, late]);
    const { runId } = (await child.waitFor('locked')) as { runId: string };
    await until(() => existsSync(started), 'the long command to start');
    process.kill(child.child.pid!, 'SIGKILL');
    expect((await child.exited).signal).toBe('SIGKILL');
    // kill -9 spares the command: sh and sleep still run, tagged with the dead run's marker
    const orphans = marked(runId);
    expect(orphans.length).toBeGreaterThanOrEqual(2);

    const lock = await acquireLock({ host: new LocalHost(), root }, who('acme-2026-12', 'carol'));
    expect(lock.tookOver).toMatchObject({ person: 'bob', runId });
    expect(lock.orphansStopped!.map((o) => o.pid).sort()).toEqual([...orphans].sort());
    expect(lock.orphansStopped!.map((o) => o.command).join('\n')).toMatch(/sleep 120/);
    // stopped before acquireLock returned: nothing of the dead run is left, and it never wrote again
    expect(marked(runId)).toEqual([]);
    expect(describeTakeOver(lock)).toMatch(
      /^took over the target lock of a dead run: bob since .* for deployment acme-2026-12 .*; stopped \d+ process\(es\) it had left running: \d+ sh -c/,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(existsSync(late)).toBe(false);
    // this run's own commands carry its own marker, so a later take-over would find them
    const own = lock.host.run({ argv: ['sleep', '5'] });
    await until(() => marked(lock.owner.runId).length > 0, 'the new run marker');
    await own;
    await releaseLock(lock);
  });

  it('over SSH too: the orphans on the server are found and stopped (non-root login, sudo)', async () => {
    ensureUser(deployUser, { sudo: 'nopasswd' });
    const sshd = await startSshd({ users: [deployUser] });
    try {
      const target = sshTargetOf(sshd, deployUser);
      const ssh = {
        host: target.host,
        port: target.port,
        user: target.user,
        identityFile: target.identityFile,
        knownHostsFile: target.knownHostsFile,
        sudo: true,
      };
      const root = freshRoot();
      mkdirSync(root, { recursive: true });
      const started = join(root, '..', 'started');
      const late = join(root, '..', 'late');
      const child = spawnHelper('runner-orphan-child.ts', [root, started, late, JSON.stringify(ssh)]);
      const { runId } = (await child.waitFor('locked')) as { runId: string };
      await until(() => existsSync(started), 'the long command to start over SSH');
      process.kill(child.child.pid!, 'SIGKILL');
      await child.exited;
      await new Promise((r) => setTimeout(r, 1000)); // the connection is gone; sshd does not stop the command
      expect(marked(runId).length).toBeGreaterThanOrEqual(2);
      const host = new SshHost(ssh);
      try {
        const lock = await acquireLock({ host, root, sudo: true }, who('acme-2026-12', 'carol'));
        expect(lock.tookOver).toMatchObject({ runId });
        expect(lock.orphansStopped!.map((o) => o.command).join('\n')).toMatch(/sleep 120/);
        expect(marked(runId)).toEqual([]);
        await releaseLock(lock);
      } finally {
        await host.close();
      }
      await new Promise((r) => setTimeout(r, 500));
      expect(existsSync(late)).toBe(false);
    } finally {
      await sshd.stop();
    }
  });

  it('a take-over with nothing left behind stops nothing', async () => {
    const root = freshRoot();
    leaveDeadLock(root, 'acme-2026-12');
    const lock = await acquireLock({ host, root }, who('acme-2026-12'));
    expect(lock.orphansStopped).toEqual([]);
    expect(describeTakeOver(lock)).toContain('it had left nothing running on the target');
    await releaseLock(lock);
  });
});
