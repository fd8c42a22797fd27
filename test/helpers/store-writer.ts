/**
 * A second process writing to a store, for the store contract's concurrency tests.
 * Usage: node --import tsx test/helpers/store-writer.ts WHERE KEYFILE MODE ARGS…
 *   append ID N   say `ready`, wait for a line on stdin, then N times: an entry that changes no record, then a change of record ID (all dated alike)
 *   race ID       read ID's revision, say `ready`, wait for a line on stdin, then change it at that revision
 * Prints one JSON line with what happened.
 */
import { createInterface } from 'node:readline';
import { openStore } from '../../src/store/open.js';
import { MokoError } from '../../src/core/errors.js';

const [where, keyFile, mode, id, n] = process.argv.slice(2);
const at = '2026-12-01T10:00:00.000Z';
const draft = (action: string) => ({
  at,
  actor: 'tina',
  role: 'technical-lead',
  action,
  deploymentId: id!,
  summary: action,
  before: null,
  after: null,
});
const store = await openStore(where!, { auditKeyFile: keyFile });

/** Say `ready`, then wait for the test's go (a line on stdin): the writers start together. */
async function startTogether(): Promise<void> {
  process.stdout.write('ready\n');
  const lines = createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => lines.once('line', () => resolve()));
  lines.close();
}

try {
  if (mode === 'append') {
    await startTogether();
    for (let i = 0; i < Number(n); i++) {
      await store.appendAudit(draft(`note-${process.pid}-${i}`));
      await store.mutate(id!, (r) => ({
        record: { ...r, updatedBy: `${process.pid}-${i}` } as typeof r,
        audit: draft(`change-${process.pid}-${i}`),
      }));
    }
    process.stdout.write(`${JSON.stringify({ done: Number(n) })}\n`);
  } else if (mode === 'race') {
    const { revision } = (await store.get(id!))!;
    await startTogether();
    try {
      await store.mutate(id!, (r) => ({ record: r, audit: draft(`race-${process.pid}`) }), {
        expectedRevision: revision,
      });
      process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
    } catch (e) {
      if (!(e instanceof MokoError)) throw e;
      process.stdout.write(`${JSON.stringify({ ok: false, kind: e.kind, message: e.message })}\n`);
    }
  }
} finally {
  await store.close();
}
