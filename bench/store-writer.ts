/**
 * One writer of the store bench (bench/store.ts), in its own process as a CLI or a worker would be.
 * Usage: node --import tsx bench/store-writer.ts WHERE KEYFILE ID SECONDS
 * Opens the store, says `ready`, waits for a line on stdin, then changes record ID (one transaction: the record and
 * its signed audit entry) as often as it can for SECONDS; prints {ops, conflicts, latencies} as JSON.
 */
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { openStore } from '../src/store/open.js';
import { MokoError } from '../src/core/errors.js';

const [where, keyFile, id, seconds] = process.argv.slice(2);
const store = await openStore(where!, { auditKeyFile: keyFile });
await store.get(id!); // connected and warm before the clock starts
process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => lines.once('line', () => resolve()));
lines.close();
const end = performance.now() + Number(seconds) * 1000;
const latencies: number[] = [];
let busy = 0;
let n = 0;
while (performance.now() < end) {
  const t = performance.now();
  try {
    await store.mutate(id!, (r) => {
      const at = new Date().toISOString(); // under the store's write lock: the chain's times stay in order
      return {
        record: { ...r, benchCounter: ++n } as typeof r,
        audit: {
          at,
          actor: 'bench',
          role: 'technical-lead',
          action: 'bench-write',
          deploymentId: id!,
          summary: `write ${n}`,
          before: null,
          after: null,
        },
      };
    });
    latencies.push(performance.now() - t);
  } catch (e) {
    if (!(e instanceof MokoError) || e.kind !== 'conflict') throw e;
    busy++; // waited past the lock timeout: counted, not an operation
  }
}
await store.close();
process.stdout.write(`${JSON.stringify({ ops: latencies.length, busy, latencies })}\n`);
