import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { redact } from '../core/secret.js';
import { journalPath } from '../runner/journal.js';
import { loadDeployment } from './deployment-views.js';
import { securityHeaders } from './security-headers.js';
import type { ServerContext } from './context.js';

/** Bytes appended to a file since `offset` (the runner only appends; a smaller file was replaced). */
function readFrom(path: string, offset: number): { text: string; size: number } {
  if (!existsSync(path)) return { text: '', size: 0 };
  const size = statSync(path).size;
  if (size <= offset) return { text: '', size };
  const buf = Buffer.alloc(size - offset);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buf, 0, buf.length, offset);
  } finally {
    closeSync(fd);
  }
  return { text: buf.toString('utf8'), size };
}

/**
 * Live run progress as server-sent events, fed from the runner's journal file
 * (`<home>/journals/<id>.jsonl`): every complete JSON line becomes one `journal` event. The file
 * is polled, so a run in another process (the CLI's `deploy`) shows up as it happens.
 */
export function registerJournalStream(
  server: FastifyInstance,
  ctx: ServerContext,
  opts: { pollMs?: number } = {},
): void {
  server.get<{ Params: { id: string } }>('/api/deployments/:id/progress', async (req, reply) => {
    await loadDeployment(ctx.app, req.params.id);
    const path = journalPath(ctx.app.home, req.params.id);
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, {
      ...securityHeaders(ctx.tls),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    out.write('event: reset\ndata: {}\n\n');
    let offset = 0;
    let partial = '';
    let seq = 0;
    const poll = () => {
      const { text, size } = readFrom(path, offset);
      if (size < offset) {
        offset = 0; // the journal was moved aside: start over
        partial = '';
        out.write('event: reset\ndata: {}\n\n');
        return;
      }
      offset = size;
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim() === '') continue;
        try {
          JSON.parse(line);
        } catch {
          continue; // a torn line is not a fact
        }
        out.write(`id: ${++seq}\nevent: journal\ndata: ${redact(line)}\n\n`);
      }
    };
    // the state badge follows too: a second tab sees "scheduled" become "deploying", "verifying", ...
    let state = '';
    let reading = false;
    const pollState = async () => {
      if (reading) return;
      reading = true;
      try {
        const now = (await loadDeployment(ctx.app, req.params.id)).record.state;
        if (now !== state) {
          state = now;
          out.write(`event: state\ndata: ${JSON.stringify({ state })}\n\n`);
        }
      } catch {
        // a record that cannot be read now is reported by the page itself on the next load
      } finally {
        reading = false;
      }
    };
    poll();
    void pollState();
    const timer = setInterval(poll, opts.pollMs ?? 250);
    const stateTimer = setInterval(() => void pollState(), Math.max(opts.pollMs ?? 250, 1000));
    const ping = setInterval(() => out.write(': ping\n\n'), 15_000);
    req.raw.on('close', () => {
      clearInterval(timer);
      clearInterval(stateTimer);
      clearInterval(ping);
    });
  });
}
