import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../server/context.js';
import { auditStatus, metricsReport } from '../server/routes-api-reports.js';
import { deploymentData } from './deployment-data.js';
import { chartMonths, periodReview, trendOf } from '../core/review.js';
import { reviewPeriodOf } from './review-period.js';
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
import { calendarPage } from './pages/calendar.js';
import { clientPage } from './pages/client.js';
import { feedToken } from '../server/calendar-feed.js';
import { notFound } from '../core/errors.js';
import { auditFilterOf } from './audit-filter.js';

/** The pages (GET): waiting for me, board, deployment, metrics, review, audit, plan form. */
export function registerPages(server: FastifyInstance, ctx: ServerContext): void {
  const { app } = ctx;
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

  server.get('/calendar', async (req, reply) => {
    const q = (req.query as { month?: string }).month;
    const month = q && /^\d{4}-(0[1-9]|1[0-2])$/.test(q) ? q : app.now().toISOString().slice(0, 7);
    const all = await (await app.store()).all();
    const login = req.user!.login;
    const token = feedToken(ctx.feedKey, login, ctx.passwords.hashOf(login) ?? '');
    const feed = `/calendar/feed/${login}.ics?token=${token}`;
    return sendPage(reply, calendarPage(await pageContext(app, req, reply, all), all, month, feed));
  });

  server.get<{ Params: { client: string } }>('/clients/:client', async (req, reply) => {
    const all = await (await app.store()).all();
    const mine = all.filter((r) => r.client === req.params.client);
    if (mine.length === 0)
      throw notFound(`no deployments for client "${req.params.client}"`, {
        fix: 'pick a client on the board',
      });
    const page = await pageContext(app, req, reply, all);
    return sendPage(reply, clientPage(page, mine, await metricsReport(app, req.params.client)));
  });

  server.get('/metrics', async (req, reply) =>
    sendPage(reply, metricsPage(await pageContext(app, req, reply), await metricsReport(app))),
  );

  server.get('/review', async (req, reply) => {
    const q = req.query as { period?: string; month?: string; q?: string };
    const { period, refused } = reviewPeriodOf(q, app.now());
    const all = await (await app.store()).all();
    return sendPage(
      reply,
      reviewPage(await pageContext(app, req, reply, all), {
        period,
        review: periodReview(all, period),
        trend: trendOf(all, chartMonths(period)),
        refused,
        lessons: { query: q.q ?? '', hits: q.q ? searchLessons(all, q.q) : [] },
      }),
    );
  });

  server.get('/audit', async (req, reply) => {
    const entries = await (await app.store()).auditEntries();
    return sendPage(
      reply,
      auditPage(
        await pageContext(app, req, reply),
        await auditStatus(app),
        entries,
        auditFilterOf(req.query),
      ),
    );
  });

  server.get('/plans/new', async (req, reply) =>
    sendPage(
      reply,
      planNewPage(await pageContext(app, req, reply), may(app.policy(), req.user!, 'plan.submit')),
    ),
  );
}
