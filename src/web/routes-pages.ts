import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../server/context.js';
import { auditStatus, metricsReport } from '../server/routes-api-reports.js';
import { deploymentData } from './deployment-data.js';
import { monthlyReview } from '../core/metrics.js';
import { searchLessons } from '../core/lessons.js';
import { pageContext, sendPage } from './page-context.js';
import { may } from './permissions.js';
import { boardFilterOf } from './board-filter.js';
import { waitingFor } from './waiting.js';
import { waitingPage } from './pages/waiting.js';
import { boardPage } from './pages/board.js';
import { deploymentPage } from './pages/deployment.js';
import { metricsPage } from './pages/metrics.js';
import { auditPage } from './pages/audit.js';
import { reviewPage } from './pages/review.js';
import { planNewPage } from './pages/plan-new.js';

/** The pages (GET): waiting for me, board, deployment, metrics, review, audit, plan form. */
export function registerPages(server: FastifyInstance, { app }: ServerContext): void {
  server.get('/', async (req, reply) => {
    const all = await (await app.store()).all();
    const items = waitingFor(all, req.user!, app.policy(), app.now());
    return sendPage(reply, waitingPage(await pageContext(app, req, reply, all), items));
  });

  server.get('/board', async (req, reply) => {
    const all = await (await app.store()).all();
    const page = await pageContext(app, req, reply, all);
    return sendPage(
      reply,
      boardPage(page, all, boardFilterOf(req.query), { policy: app.policy(), now: app.now() }),
    );
  });

  server.get<{ Params: { id: string } }>('/deployments/:id', async (req, reply) =>
    sendPage(
      reply,
      deploymentPage(await pageContext(app, req, reply), await deploymentData(app, req.params.id)),
    ),
  );

  server.get('/metrics', async (req, reply) =>
    sendPage(reply, metricsPage(await pageContext(app, req, reply), await metricsReport(app))),
  );

  server.get('/review', async (req, reply) => {
    const q = req.query as { month?: string; q?: string };
    const month = q.month && /^\d{4}-\d{2}$/.test(q.month) ? q.month : app.now().toISOString().slice(0, 7);
    const all = await (await app.store()).all();
    return sendPage(
      reply,
      reviewPage(await pageContext(app, req, reply, all), monthlyReview(all, month), {
        query: q.q ?? '',
        hits: q.q ? searchLessons(all, q.q) : [],
      }),
    );
  });

  server.get('/audit', async (req, reply) => {
    const entries = await (await app.store()).auditEntries();
    return sendPage(reply, auditPage(await pageContext(app, req, reply), await auditStatus(app), entries));
  });

  server.get('/plans/new', async (req, reply) =>
    sendPage(
      reply,
      planNewPage(await pageContext(app, req, reply), may(app.policy(), req.user!, 'plan.submit')),
    ),
  );
}
