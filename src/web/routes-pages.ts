import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../server/context.js';
import { checklistOf, loadDeployment, statusOf } from '../server/deployment-views.js';
import { auditStatus, metricsReport } from '../server/routes-api-reports.js';
import { readJournal, journalPath } from '../runner/journal.js';
import { monthlyReview } from '../core/metrics.js';
import { searchLessons } from '../core/lessons.js';
import { pageContext, sendPage } from './page-context.js';
import { may } from './permissions.js';
import { boardPage } from './pages/board.js';
import { deploymentPage } from './pages/deployment.js';
import { metricsPage } from './pages/metrics.js';
import { auditPage } from './pages/audit.js';
import { reviewPage } from './pages/review.js';
import { planNewPage } from './pages/plan-new.js';

/** The pages (GET): board, deployment, metrics, review, audit, plan form. */
export function registerPages(server: FastifyInstance, { app }: ServerContext): void {
  server.get('/', async (req, reply) => {
    const client = (req.query as { client?: string }).client || undefined;
    return sendPage(reply, boardPage(pageContext(app, req, reply), await (await app.store()).list(), client));
  });

  server.get<{ Params: { id: string } }>('/deployments/:id', async (req, reply) => {
    const { record } = await loadDeployment(app, req.params.id);
    const audit = (await (await app.store()).auditEntries()).filter((e) => e.deploymentId === record.id);
    let journal: ReturnType<typeof readJournal> = [];
    try {
      journal = readJournal(journalPath(app.home, record.id));
    } catch {
      journal = []; // a corrupt journal is the runner's to report; the page still shows the record
    }
    const data = {
      record,
      policy: app.policy(),
      next: statusOf(app, record).next,
      checklist: checklistOf(app, record),
      journal,
      audit,
    };
    return sendPage(reply, deploymentPage(pageContext(app, req, reply), data));
  });

  server.get('/metrics', async (req, reply) =>
    sendPage(reply, metricsPage(pageContext(app, req, reply), await metricsReport(app))),
  );

  server.get('/review', async (req, reply) => {
    const q = req.query as { month?: string; q?: string };
    const month = q.month && /^\d{4}-\d{2}$/.test(q.month) ? q.month : app.now().toISOString().slice(0, 7);
    const all = await (await app.store()).all();
    return sendPage(
      reply,
      reviewPage(pageContext(app, req, reply), monthlyReview(all, month), {
        query: q.q ?? '',
        hits: q.q ? searchLessons(all, q.q) : [],
      }),
    );
  });

  server.get('/audit', async (req, reply) => {
    const entries = await (await app.store()).auditEntries();
    return sendPage(reply, auditPage(pageContext(app, req, reply), await auditStatus(app), entries));
  });

  server.get('/plans/new', async (req, reply) =>
    sendPage(reply, planNewPage(pageContext(app, req, reply), may(app.policy(), req.user!, 'plan.submit'))),
  );
}
