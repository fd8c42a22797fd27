import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { checkTrail } from '../audit/check-trail.js';
import { inputError } from '../core/errors.js';
import { searchLessons } from '../core/lessons.js';
import { metricsByMonth, metricsOf, monthlyReview } from '../core/metrics.js';
import { operations } from '../core/operations/index.js';
import type { AppContext } from '../app/context.js';
import type { ServerContext } from './context.js';
import { runOutcomes } from './run-outcomes.js';

export async function metricsReport(app: AppContext, client?: string) {
  const records = (await (await app.store()).all()).filter((r) => !client || r.client === client);
  const per = records.map(metricsOf);
  // issue 21: failed runs and rollbacks apart from the mean of the runs that worked
  return { deployments: per, months: metricsByMonth(per), outcomes: runOutcomes(records) };
}

export async function auditStatus(app: AppContext) {
  return checkTrail(await app.store(), app.auditPublicKey());
}

/** Metrics, the monthly review, lessons, the audit chain and the operation catalogue. */
export function registerReportApi(server: FastifyInstance, { app }: ServerContext): void {
  server.get('/api/metrics', async (req) => metricsReport(app, (req.query as { client?: string }).client));
  server.get<{ Params: { month: string } }>('/api/review/:month', async (req) => {
    if (!/^\d{4}-\d{2}$/.test(req.params.month))
      throw inputError(`"${req.params.month}" is not a month`, { fix: 'give it as YYYY-MM, e.g. 2026-11' });
    return monthlyReview(await (await app.store()).all(), req.params.month);
  });
  server.get('/api/lessons', async (req) =>
    searchLessons(await (await app.store()).all(), (req.query as { q?: string }).q ?? ''),
  );
  server.get('/api/audit/verify', async () => auditStatus(app));
  server.get('/api/audit/export', async (req, reply) => {
    const only = (req.query as { deployment?: string }).deployment;
    const entries = (await (await app.store()).auditEntries()).filter(
      (e) => !only || e.deploymentId === only,
    );
    return reply
      .type('application/x-ndjson')
      .header('content-disposition', 'attachment; filename="mokodeploy-audit.jsonl"')
      .send(entries.map((e) => JSON.stringify(e)).join('\n') + (entries.length ? '\n' : ''));
  });
  server.get('/api/operations', async () =>
    Object.entries(operations).map(([name, op]) => {
      let input: unknown = null;
      try {
        input = z.toJSONSchema(op.input, { io: 'input' });
      } catch {
        input = null; // a custom schema (e.g. a validation report) has no JSON Schema
      }
      return { name, permission: op.permission, input };
    }),
  );
}
