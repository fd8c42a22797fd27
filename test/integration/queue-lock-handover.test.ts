import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalHost } from '../../src/hosts/local.js';
import {
  acquireLock,
  describeTakeOver,
  lockDir,
  readLock,
  releaseLock,
  type LockOwner,
} from '../../src/runner/lock.js';
import { asQueuedRun, type QueuedRun } from '../../src/runner/journal-job.js';

/**
 * Issue 20, the target lock of a queued job (real lock directories on this machine's disk): the next attempt of the
 * same job takes over the lock of an earlier attempt whose worker the queue declared dead, whatever host it named;
 * everything else is refused as before — another job, a run that is not a job, an attempt the queue did not hand
 * over, another deployment's lock, and a holder seen alive on this machine whatever the queue says.
 */
const host = new LocalHost();
const base = mkdtempSync(join(tmpdir(), 'moko-lock-handover-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let n = 0;

/** A lock as worker `worker-a` left it on machine-a for job 7, attempt 1 (or as given). */
function leftLock(o: Partial<LockOwner> = {}): string {
  const root = join(base, `t${++n}`);
  const owner: LockOwner = {
    person: 'tina',
    deploymentId: 'acme-2026-12',
    reason: 'deploy acme-2026-12',
    since: '2026-12-06T10:00:00.000Z',
    pid: 4242,
    toolHost: 'machine-a',
    runId: 'run-a',
    job: { id: 7, attempt: 1, worker: 'worker-a' },
    ...o,
  };
  mkdirSync(lockDir(root), { recursive: true });
  writeFileSync(join(lockDir(root), 'owner.json'), JSON.stringify(owner));
  return root;
}

const attempt2: QueuedRun = {
  jobId: 7,
  attempt: 2,
  workerId: 'worker-b',
  deadWorkers: ['worker-a'],
  mirror: () => {},
};
const who = { person: 'tina', deploymentId: 'acme-2026-12', reason: 'deploy acme-2026-12' };
const take = (root: string, run?: QueuedRun, deploymentId = who.deploymentId) =>
  run
    ? asQueuedRun(run, () => acquireLock({ host, root }, { ...who, deploymentId }))
    : acquireLock({ host, root }, { ...who, deploymentId });
const owner = (root: string) =>
  JSON.parse(readFileSync(join(lockDir(root), 'owner.json'), 'utf8')) as LockOwner;

describe('the target lock of a queued job', () => {
  it('the next attempt takes over the lock of an attempt whose worker the queue declared dead, on another host', async () => {
    const root = leftLock();
    expect((await readLock({ host, root })) as { holderAlive?: boolean }).toMatchObject({
      holderAlive: undefined,
    });
    expect(await asQueuedRun(attempt2, () => readLock({ host, root }))).toMatchObject({ holderAlive: false });
    const lock = await take(root, attempt2);
    expect(lock.tookOver).toMatchObject({
      toolHost: 'machine-a',
      job: { id: 7, attempt: 1, worker: 'worker-a' },
    });
    expect(owner(root)).toMatchObject({
      toolHost: hostname(),
      pid: process.pid,
      job: { id: 7, attempt: 2, worker: 'worker-b' },
    });
    const said = await asQueuedRun(attempt2, async () => describeTakeOver(lock));
    expect(said).toMatch(
      /pid 4242 on machine-a; queued job 7 attempt 1\).*declared its worker worker-a dead and handed job 7 to attempt 2/,
    );
    await releaseLock(lock);
  });

  it.each([
    ['another job', { ...attempt2, jobId: 8 }, {}],
    ['the same attempt again', { ...attempt2, attempt: 1 }, {}],
    [
      'an attempt the queue did not hand over (worker not declared dead)',
      { ...attempt2, deadWorkers: ['worker-x'] },
      {},
    ],
    ['a run that is not a queued job', undefined, {}],
    ['a lock of a run that was not a job', attempt2, { job: undefined }],
    [
      'a holder alive on this machine, whatever the queue says',
      attempt2,
      { toolHost: hostname(), pid: process.pid },
    ],
  ] as [string, QueuedRun | undefined, Partial<LockOwner>][])(
    'refuses %s, and leaves the lock as it was',
    async (_name, run, left) => {
      const root = leftLock(left);
      const before = owner(root);
      await expect(take(root, run)).rejects.toThrow(/is locked by tina since/);
      expect(owner(root)).toEqual(before);
    },
  );

  it("refuses another deployment's lock even for the same job's next attempt", async () => {
    const root = leftLock({ deploymentId: 'acme-2026-12.upgrade' });
    await expect(take(root, attempt2, 'acme-2026-12')).rejects.toThrow(/is locked by/);
  });
});
