import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { WorkerUtils } from 'graphile-worker';
import type { AuditSigner } from '../audit/signing-key.js';
import { enqueueJob } from '../queue/enqueue.js';
import { settledJobs } from '../queue/jobs.js';
import { settlementRefused } from '../queue/row-signatures.js';

export { settlementRefused };
import type { JobArgs } from '../queue/job.js';
import { fleetOperations, type FleetMember, type FleetOperation } from './select.js';
import { planWaves, type FleetShape } from './waves.js';
import { createFleet, finishFleet, readFleet, setMember, type FleetRow } from './rows.js';
import { withdrawJobs } from './withdraw.js';

export interface FleetRun {
  pool: pg.Pool;
  utils: WorkerUtils;
  operation: FleetOperation;
  members: FleetMember[];
  shape: FleetShape;
  /** Who acts on every record (each job runs `--as` this person; each record's own gates and roles apply). */
  as: string;
  /** The command's options given to every client's job (e.g. an upgrade's --in-place). */
  options: JobArgs['options'];
  /** Signs each job's request (the store's audit key, src/queue/signature.ts). */
  signer: AuditSigner;
  /** One line per change, for the person watching. */
  progress?: (line: string) => void;
  /** A job's settlement refused (unsigned or altered): the caller audits it (`job-refused`). */
  refused?: (job: number, client: string, reason: string) => Promise<void>;
  pollMs?: number;
}

/**
 * A fleet operation: blocked clients are reported and left alone; the canary runs first, then waves of N at once
 * on whatever workers there are. When failures pass the limit (or the canary fails) the fleet halts: no further
 * wave starts, the wave's jobs no worker has taken yet are withdrawn, and the jobs already running finish (a
 * deploy is never cut mid-run). Every change is a row, so the fleet's progress is visible from any machine.
 */
export async function runFleet(o: FleetRun): Promise<FleetRow> {
  const say = o.progress ?? (() => undefined);
  const id = `fleet-${o.operation}-${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomBytes(2).toString('hex')}`;
  const runnable = o.members.filter((m) => !m.blocked);
  const waves = planWaves(runnable.map((m) => m.client), o.shape);
  const waveOf = new Map(waves.flatMap((w) => w.clients.map((c) => [c, w.index] as const)));
  await createFleet(
    o.pool,
    { id, operation: o.operation, options: { ...o.shape, options: o.options, as: o.as }, requestedBy: o.as },
    o.members.map((m) => ({ ...m, wave: waveOf.get(m.client) ?? null })),
    o.signer,
  );
  for (const m of o.members.filter((x) => x.blocked)) say(`${m.client}: blocked — ${m.blocked}`);
  const byClient = new Map(o.members.map((m) => [m.client, m]));
  let failures = 0;
  let halted: string | null = null;
  for (const wave of waves) {
    say(`${wave.canary ? 'canary' : `wave ${wave.index}`}: ${wave.clients.join(', ')}`);
    const jobs = new Map<number, string>();
    for (const client of wave.clients) {
      const m = byClient.get(client)!;
      const job = await enqueueJob(o.pool, {
        command: fleetOperations[o.operation],
        args: { deploymentId: m.deploymentId!, as: o.as, options: o.options },
        requestedBy: o.as,
        requestedVia: 'fleet',
        fleetId: id,
      }, o.signer);
      jobs.set(job, client);
      await setMember(o.pool, id, client, { status: 'running', jobId: job }, o.signer);
    }
    const waiting = new Set(jobs.keys());
    while (waiting.size > 0) {
      for (const j of await settledJobs(o.pool, [...waiting])) {
        waiting.delete(j.id);
        const client = jobs.get(j.id)!;
        // a settlement no worker holding the store's key signed is refused: counted as a failure, never as done
        const unsigned = settlementRefused(o.signer, j);
        if (unsigned) await o.refused?.(j.id, client, unsigned);
        if (!unsigned && j.state === 'cancelled') continue; // withdrawn below, already marked
        const ok = !unsigned && j.state === 'succeeded';
        const why = unsigned ?? j.error ?? `exit ${j.exitCode}`;
        await setMember(o.pool, id, client, { status: ok ? 'done' : 'failed', reason: ok ? null : why }, o.signer);
        say(`${client}: ${ok ? 'done' : `failed — ${why}`}`);
        if (ok || halted) continue;
        failures++;
        if (wave.canary || failures > o.shape.maxFailures) {
          halted = wave.canary
            ? `the canary ${client} failed`
            : `${failures} failure${failures > 1 ? 's' : ''}, more than --max-failures ${o.shape.maxFailures}`;
          say(`halting: ${halted}`);
          for (const w of await withdrawJobs(o.pool, o.utils, [...waiting], o.signer)) {
            waiting.delete(w);
            await setMember(o.pool, id, jobs.get(w)!, { status: 'untouched', reason: 'withdrawn before it started: the fleet halted' }, o.signer);
          }
        }
      }
      if (waiting.size > 0) await new Promise((r) => setTimeout(r, o.pollMs ?? 300));
    }
    if (halted) break;
  }
  await finishFleet(o.pool, id, halted ? 'halted' : 'done', halted, o.signer);
  return readFleet(o.pool, id, o.signer);
}
