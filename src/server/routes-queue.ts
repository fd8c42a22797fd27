import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../app/context.js';
import { z } from 'zod';
import { inputError } from '../core/errors.js';
import { redact } from '../core/secret.js';
import { checkDeployStart } from '../queue/deploy-check.js';
import { enqueueJob } from '../queue/enqueue.js';
import { getJob, jobEvents, listJobs } from '../queue/jobs.js';
import { commandOf, type JobArgs } from '../queue/job.js';
import { lazyQueue, type LazyQueue } from '../queue/lazy-pool.js';
import { loadDeployment } from './deployment-views.js';
import { securityHeaders } from './security-headers.js';
import type { ServerContext } from './context.js';
import { pageContext, sendPage } from '../web/page-context.js';
import { jobPage } from '../web/pages/job.js';
import { fleetPage, fleetsPage } from '../web/pages/fleet.js';
import { listFleets, readFleet } from '../fleet/rows.js';

/** What the dashboard may queue: a deploy (or its dry run), a verification, a validation. No free-form options. */
const fromDashboard = ['deploy', 'verify', 'validate'] as const;
type DashboardCommand = (typeof fromDashboard)[number];

/**
 * The queue on the HTTP edge (issue 20): queue a run of a deployment for the workers, show a job, and follow its
 * progress as server-sent events read from the queue's events (written by whichever worker runs it), so the
 * dashboard needs no access to the worker's machine.
 */
export function registerQueueRoutes(server: FastifyInstance, ctx: ServerContext, opts: { url?: string; pollMs?: number } = {}): void {
  const queue = lazyQueue(opts.url);
  server.addHook('onClose', async () => queue.close());
  const { app } = ctx;

  server.post<{ Params: { id: string } }>('/api/deployments/:id/jobs', async (req, reply) => {
    const body = jobBody(req.body);
    const job = await enqueueFrom(app, queue, req.params.id, req.user!.login, body.command, body.dryRun === true);
    return reply.code(202).send({ job, state: 'queued', page: `/jobs/${job}`, progress: `/api/jobs/${job}/progress` });
  });

  server.get<{ Params: { id: string } }>('/api/deployments/:id/jobs', async (req) => {
    await loadDeployment(app, req.params.id);
    return redactedDeep(await listJobs(await queue.pool(), { deploymentId: req.params.id }));
  });

  server.get<{ Params: { job: string } }>('/api/jobs/:job', async (req) => {
    const pool = await queue.pool();
    const id = jobNumber(req.params.job);
    return redactedDeep({ ...(await getJob(pool, id)), events: await jobEvents(pool, id) });
  });

  server.get<{ Params: { job: string } }>('/api/jobs/:job/progress', async (req, reply) => {
    const pool = await queue.pool();
    const id = jobNumber(req.params.job);
    await getJob(pool, id);
    streamEvents(reply, ctx.tls, pool, id, opts.pollMs ?? 250);
  });

  // the form next to "Deploy now": queue it for a worker, then show the job's page
  server.post<{ Params: { id: string } }>('/deployments/:id/enqueue', async (req, reply) => {
    const job = await enqueueFrom(app, queue, req.params.id, req.user!.login, 'deploy', false);
    return reply.redirect(`/jobs/${job}`, 303);
  });

  // fleet progress (issue 20 point 3): the rows the fleet's coordinator writes, from any machine
  server.get('/api/fleets', async () => redactedDeep(await listFleets(await queue.pool(), 20, await app.storeSigner())));
  server.get<{ Params: { fleet: string } }>('/api/fleets/:fleet', async (req) =>
    redactedDeep(await readFleet(await queue.pool(), req.params.fleet, await app.storeSigner())),
  );
  server.get('/fleets', async (req, reply) =>
    sendPage(reply, fleetsPage(await pageContext(app, req, reply), redactedDeep(await listFleets(await queue.pool(), 20, await app.storeSigner())))),
  );
  server.get<{ Params: { fleet: string } }>('/fleets/:fleet', async (req, reply) =>
    sendPage(
      reply,
      fleetPage(await pageContext(app, req, reply), redactedDeep(await readFleet(await queue.pool(), req.params.fleet, await app.storeSigner()))),
    ),
  );

  server.get<{ Params: { job: string } }>('/jobs/:job', async (req, reply) => {
    const pool = await queue.pool();
    const id = jobNumber(req.params.job);
    const job = redactedDeep(await getJob(pool, id));
    return sendPage(reply, jobPage(await pageContext(app, req, reply), job, redactedDeep(await jobEvents(pool, id))));
  });
}

async function enqueueFrom(
  app: AppContext,
  queue: LazyQueue,
  id: string,
  login: string,
  command: DashboardCommand,
  dryRun: boolean,
): Promise<number> {
  await loadDeployment(app, id);
  const actor = await app.actor(login);
  if (command === 'deploy' && !dryRun) await checkDeployStart(app, id, actor.login);
  const args: JobArgs = { deploymentId: id, as: actor.login, options: dryRun ? { 'dry-run': true } : {} };
  return enqueueJob(
    await queue.pool(),
    { command: commandOf([command]), args, requestedBy: actor.login, requestedVia: 'dashboard' },
    await app.storeSigner(),
  );
}

/**
 * The body, typed at the edge: `command` and a deploy's `dryRun`, nothing else. Who acts is the session's person and
 * the options are the dashboard's own, so a field such as `as`, `options` or `args` is refused, never ignored.
 */
const jobBodySchema = z
  .object({ command: z.enum(fromDashboard).default('deploy'), dryRun: z.boolean().optional() })
  .strict()
  .refine((b) => !b.dryRun || b.command === 'deploy', { message: 'only a deploy has a dry run', path: ['dryRun'] });

function jobBody(value: unknown): z.infer<typeof jobBodySchema> {
  const parsed = jobBodySchema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0]!;
  const where = first.path.join('.') || ('keys' in first ? String((first as { keys: string[] }).keys[0]) : 'body');
  throw inputError(`${where}: ${first.message}`, {
    where,
    fix: `send {"command": one of ${fromDashboard.join(', ')}, "dryRun": true for a deploy's dry run}; who acts is your session`,
  });
}

function jobNumber(text: string): number {
  const id = Number(text);
  if (!/^\d{1,15}$/.test(text) || id <= 0) throw inputError(`not a job number: ${JSON.stringify(text.slice(0, 40))}`, { fix: 'a job number, e.g. /jobs/12' });
  return id;
}

/** Server-sent events: `journal` (a run journal record), `job` (queued, started, worker died, finished), then `end`. */
function streamEvents(reply: FastifyReply, tls: boolean, pool: Awaited<ReturnType<LazyQueue['pool']>>, id: number, pollMs: number): void {
  reply.hijack();
  const out = reply.raw;
  out.writeHead(200, {
    ...securityHeaders(tls),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  let seq = 0;
  let busy = false;
  let closed = false;
  const poll = async () => {
    if (busy || closed) return;
    busy = true;
    try {
      for (const e of await jobEvents(pool, id, seq)) {
        seq = e.seq;
        const kind = e.source.startsWith('journal:') ? 'journal' : 'job';
        const data = redactedDeep(e.source === 'job' ? e.record : { ...e.record, journal: e.source.slice(8) });
        out.write(`id: ${e.seq}\nevent: ${kind}\ndata: ${JSON.stringify(data)}\n\n`);
        if (kind === 'job' && e.record.type === 'job-finished') {
          out.write('event: end\ndata: {}\n\n');
          stop();
          out.end();
        }
      }
    } catch {
      stop();
      out.end();
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void poll(), pollMs);
  const stop = () => {
    closed = true;
    clearInterval(timer);
  };
  out.on('close', stop);
  void poll();
}

/**
 * What a worker wrote, redacted again with the secrets this process knows (as the journal stream does): a worker on
 * another machine redacts only what it loaded, and a row is data anyone with access to the queue's database may write.
 */
function redactedDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map(redactedDeep) as T;
  if (value && typeof value === 'object' && !(value instanceof Date))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactedDeep(v)])) as T;
  return value;
}
