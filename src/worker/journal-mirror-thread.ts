/**
 * The body of the journal mirror's thread (journal-mirror.ts), run from its source text (`Worker` with
 * `eval: true`), so it must not use anything from outside itself: `pg` is loaded from the path the main thread
 * resolved, the SQL comes from src/queue/journal-lines.ts through workerData. One connection; each request is one
 * statement, answered on the request's port, then the main thread, blocked in Atomics.wait, is woken.
 */
export function journalMirrorThread(): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { workerData, parentPort } = require('node:worker_threads') as typeof import('node:worker_threads');
  const pg = require(workerData.pgPath) as typeof import('pg');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const data = workerData as { url: string; sql: string; retryMs: number };
  let client: import('pg').Client | undefined;

  async function connected(): Promise<import('pg').Client> {
    if (client) return client;
    const c = new pg.Client({ connectionString: data.url });
    c.on('error', () => {
      if (client === c) client = undefined;
    });
    await c.connect();
    client = c;
    return c;
  }

  async function append(values: unknown[]): Promise<{ ok: boolean; rows?: number; error?: string }> {
    const deadline = Date.now() + data.retryMs;
    for (;;) {
      try {
        const r = await (await connected()).query(data.sql, values);
        return { ok: true, rows: r.rowCount ?? 0 };
      } catch (e) {
        const code = (e as { code?: string }).code ?? '';
        // a progress number taken at the same time by the reaper: take the next one at once
        if (code === '23505' && Date.now() < deadline) continue;
        // the connection was lost (no SQLSTATE, class 08, or the server going down): reconnect until the deadline
        const lost = code === '' || code.startsWith('08') || code.startsWith('57P');
        if (!lost || Date.now() >= deadline) return { ok: false, error: (e as Error).message };
        await client?.end().catch(() => undefined);
        client = undefined;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  parentPort!.on(
    'message',
    (m: {
      values?: unknown[];
      flag?: Int32Array;
      port?: import('node:worker_threads').MessagePort;
      stop?: boolean;
    }) => {
      if (m.stop) {
        void (client?.end() ?? Promise.resolve()).catch(() => undefined).then(() => parentPort!.close());
        return;
      }
      void append(m.values!).then((answer) => {
        m.port!.postMessage(answer); // the main thread reads it, then closes the channel
        Atomics.store(m.flag!, 0, 1);
        Atomics.notify(m.flag!, 0);
      });
    },
  );
  void connected().then(
    () => parentPort!.postMessage({ ready: true }),
    (e: Error) => parentPort!.postMessage({ ready: false, error: e.message }),
  );
}
