import { z } from 'zod';
import { defineOperation } from '../operation.js';
import { refused } from '../errors.js';

/**
 * Issue 14 point 1: a run that died (kill -9, a lost terminal) leaves the record `deploying` with nothing
 * running. A deployment manager aborts it: the run is closed as failed and the record goes back to
 * `scheduled`, from where it can be deployed again, revised or cancelled. The edge checks that the run is
 * provably dead (no live holder of the target lock) and says how it knows (`evidence`); the target is not
 * touched — a half-done install is resumed or cleaned by the next deploy.
 */
export const abortRun = defineOperation({
  name: 'abort-run',
  permission: 'deployment.abort',
  input: z.strictObject({
    reason: z.string().min(1, 'say why the run is aborted'),
    evidence: z.string().min(1, 'say how the run is known to be dead (the lock state)'),
  }),
  describe: (i) => `aborted the deployment run: ${i.reason} (${i.evidence})`,
  // the evidence is what the CLI found on the target (the lock), never taken from a request body
  engineResult: () => true,
  apply(record, input, ctx) {
    if (record.state !== 'deploying')
      throw refused(`${record.id} is ${record.state}: only a deploying record has a run to abort`, {
        fix:
          record.state === 'scheduled'
            ? 'nothing to abort: deploy, revise or cancel it'
            : 'see mokodeploy status',
      });
    const note = `aborted by ${ctx.actor.login}: ${input.reason} (${input.evidence})`;
    const last = record.runs.at(-1);
    const runs =
      last && last.outcome === 'running'
        ? [
            ...record.runs.slice(0, -1),
            {
              ...last,
              finishedAt: ctx.now.toISOString(),
              outcome: 'failed' as const,
              durationSeconds: Math.max(0, (ctx.now.getTime() - Date.parse(last.startedAt)) / 1000),
              note,
            },
          ]
        : record.runs;
    return {
      ...record,
      state: 'scheduled',
      runs,
      transitions: [
        ...record.transitions,
        {
          from: 'deploying',
          to: 'scheduled',
          by: ctx.actor.login,
          role: ctx.role,
          at: ctx.now.toISOString(),
          note,
        },
      ],
    };
  },
});
