import { liveDatabase } from '../../backup/live-database.js';
import type { Step, StepContext } from '../step.js';
import {
  fenceDir,
  fenceEndCommand,
  fenceHeldCommand,
  fenceReleaseCommand,
  fenceStartCommand,
  fenceTimes,
  withAdmin,
} from './fence.js';
import { setReadOnly } from './release-conf.js';

/**
 * Issue 19: read-only mode without waiting for the requests in flight. The release's state file makes every request
 * that reads conf.php from now on read-only (release-conf.ts); a request that read it before may still write, so the
 * fence (fence.ts) blocks every writer of `schema` from the moment it is held, whenever that request connects or
 * writes, while reads go on. This replaces the drain (drain.ts), which waited for every such request to end (10-18 s
 * for Dolibarr's slow pages at 1M third parties). The fence is ended by fenceEndStep (nothing switched: the release
 * writable again, blocked writers go on) or fenceReleaseStep (after `current` moved away from `schema`).
 */
export function fenceReadOnlyStep(
  id: string,
  release: (ctx: StepContext) => string,
  schema: (ctx: StepContext) => string = liveDatabase,
): Step {
  return {
    id,
    title: "Read-only mode (the release's state file), then a write fence on its database (reads go on)",
    policyRef: 'deploy.phase2.install-base',
    plan: (ctx) => [
      setReadOnly(ctx, release(ctx), 'all'),
      ...withAdmin(ctx, `write fence on ${schema(ctx)}: every base table locked for reading`, (client) =>
        fenceStartCommand(fenceDir(ctx), schema(ctx), fenceTimes(ctx), client),
      ),
    ],
  };
}

/** Just before `current` moves: the fence still holds (else a write may have slipped in after the check). */
export function fenceHeldStep(id: string, schema: (ctx: StepContext) => string = liveDatabase): Step {
  return {
    id,
    title: 'The write fence still holds',
    policyRef: 'rollback.process',
    plan: (ctx) =>
      withAdmin(ctx, `a fence session holds ${schema(ctx)}`, (client) =>
        fenceHeldCommand(schema(ctx), client),
      ),
  };
}

/** Nothing switched: every fence on `schema` ends at once, its blocked writers go on; nobody is killed. */
export function fenceEndStep(id: string, schema: (ctx: StepContext) => string = liveDatabase): Step {
  return {
    id,
    title: 'End the write fence (writers go on)',
    policyRef: 'rollback.process',
    plan: (ctx) =>
      withAdmin(ctx, `end the write fence on ${schema(ctx)}`, (client) =>
        fenceEndCommand(fenceDir(ctx), schema(ctx), client),
      ),
  };
}

/**
 * `current` has moved away from `schema`: writers blocked on the fence are KILLed (their write would land in a
 * database nobody serves), the other requests still on it waited for (bounded), then the fence ended.
 */
export function fenceReleaseStep(id: string, schema: (ctx: StepContext) => string = liveDatabase): Step {
  return {
    id,
    title: 'Release the write fence (its blocked writers refused, requests in flight finished)',
    policyRef: 'rollback.process',
    plan: (ctx) =>
      withAdmin(
        ctx,
        `refuse the writes waiting on ${schema(ctx)}, wait for its requests in flight, end the fence`,
        (client) => fenceReleaseCommand(fenceDir(ctx), schema(ctx), ctx.plan.database.user, client),
      ),
  };
}
