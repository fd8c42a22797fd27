import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Journal } from '../../src/runner/journal.js';
import { startDashboard, password, type Dashboard } from './helpers/dashboard.js';
import { ApiClient } from './helpers/api-client.js';
import { seedDeployment } from './helpers/walk.js';

let d: Dashboard;
let c: ApiClient;
let id: string;
beforeAll(async () => {
  d = await startDashboard();
  c = new ApiClient(d.url);
  await c.login('quinn', password('quinn'));
  id = await seedDeployment(d.app, d.planYaml({ id: 'sse-1' }), 'approved');
});
afterAll(async () => d?.close());

/** Read server-sent events until `until` says stop (or time runs out). */
async function readEvents(res: Response, until: (events: { event: string; data: string }[]) => boolean) {
  const reader = res.body!.getReader();
  const events: { event: string; data: string }[] = [];
  let buffer = '';
  const deadline = Date.now() + 10_000;
  while (!until(events) && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += new TextDecoder().decode(value);
    const blocks = buffer.split('\n\n');
    buffer = blocks.pop()!;
    for (const block of blocks) {
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data !== undefined) events.push({ event, data });
    }
  }
  await reader.cancel();
  return events;
}

describe('live run progress (server-sent events from the runner journal)', () => {
  it('streams the lines already written, then each line the runner appends', async () => {
    const planHash = (await (await d.app.store()).get(id))!.record.planHash;
    const journal = Journal.open({ storeDir: d.app.home, deploymentId: id, planHash });
    const at = () => new Date().toISOString();
    journal.append({
      type: 'run-started',
      at: at(),
      runId: 'r1',
      deploymentId: id,
      planHash,
      pid: process.pid,
      facts: {},
    });

    const res = await fetch(new URL(`/api/deployments/${id}/progress`, d.url), {
      headers: { cookie: c.cookie },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");

    setTimeout(() => {
      journal.append({ type: 'step-started', at: at(), runId: 'r1', step: 'extract-release' });
      journal.append({
        type: 'step-done',
        at: at(),
        runId: 'r1',
        step: 'extract-release',
        durationMs: 1200,
        outputs: {},
      });
      journal.close();
    }, 300);
    const events = await readEvents(res, (es) => es.filter((e) => e.event === 'journal').length >= 3);
    const records = events.filter((e) => e.event === 'journal').map((e) => JSON.parse(e.data));
    expect(events[0]!.event).toBe('reset');
    expect(records.map((r) => r.type)).toEqual(['run-started', 'step-started', 'step-done']);
    expect(records[2]).toMatchObject({ step: 'extract-release', durationMs: 1200 });
  });

  it('refuses the stream without a session and for an unknown deployment', async () => {
    expect((await fetch(new URL(`/api/deployments/${id}/progress`, d.url))).status).toBe(401);
    expect(
      (await fetch(new URL('/api/deployments/nope/progress', d.url), { headers: { cookie: c.cookie } }))
        .status,
    ).toBe(404);
  });
});
