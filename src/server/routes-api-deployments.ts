import type { FastifyInstance } from 'fastify';
import { isOperationName, operations } from '../core/operations/index.js';
import { inputError, notFound, refused } from '../core/errors.js';
import { readJournal, journalPath } from '../runner/journal.js';
import { checklistOf, loadDeployment, statusOf } from './deployment-views.js';
import { submitPlanText } from './plan-submit.js';
import { assertEvidenceStored } from './evidence-upload.js';
import { validateDeployment } from './validate-deployment.js';
import { startDeploy } from './start-deploy.js';
import { parseYamlWithSchema } from '../core/yaml-input.js';
import { planSchema } from '../core/plan.js';
import type { ServerContext } from './context.js';

interface IdParams {
  id: string;
}

/** Deployments: list, show, status, checklist, journal, plan submission and every operation by name. */
export function registerDeploymentApi(server: FastifyInstance, { app }: ServerContext): void {
  server.get('/api/deployments', async (req) => {
    const q = req.query as { client?: string; state?: string };
    return (await (await app.store()).list()).filter(
      (d) => (!q.client || d.client === q.client) && (!q.state || d.state === q.state),
    );
  });
  server.get<{ Params: IdParams }>('/api/deployments/:id', async (req) => {
    const { record, revision } = await loadDeployment(app, req.params.id);
    return { ...record, revision };
  });
  server.get<{ Params: IdParams }>('/api/deployments/:id/status', async (req) =>
    statusOf(app, (await loadDeployment(app, req.params.id)).record),
  );
  server.get<{ Params: IdParams }>('/api/deployments/:id/checklist', async (req) =>
    checklistOf(app, (await loadDeployment(app, req.params.id)).record),
  );
  server.get<{ Params: IdParams }>('/api/deployments/:id/journal', async (req) => {
    await loadDeployment(app, req.params.id);
    return readJournal(journalPath(app.home, req.params.id));
  });

  server.post('/api/plans', async (req, reply) => {
    if (typeof req.body !== 'string')
      throw inputError('send the plan as YAML', {
        fix: 'Content-Type: application/yaml, the plan file as the body',
      });
    const draft = (req.query as { draft?: string }).draft === 'true';
    const { record, warnings } = await submitPlanText(app, req.body, {
      login: req.user!.login,
      source: 'request body',
      submit: !draft,
    });
    return reply.code(201).send({ id: record.id, state: record.state, planHash: record.planHash, warnings });
  });

  server.put<{ Params: IdParams }>('/api/deployments/:id/plan', async (req) => {
    if (typeof req.body !== 'string')
      throw inputError('send the plan as YAML', {
        fix: 'Content-Type: application/yaml, the plan file as the body',
      });
    const plan = parseYamlWithSchema(req.body, 'request body', planSchema, 'plan');
    const warnings: string[] = [];
    const record = await app.act(req.params.id, 'revise-plan', { plan }, req.user!.login, { warnings });
    return { id: record.id, state: record.state, planHash: record.planHash, warnings };
  });

  server.post<{ Params: IdParams }>('/api/deployments/:id/deploy', async (req, reply) => {
    const { log } = await startDeploy(app, req.params.id, req.user!.login);
    return reply.code(202).send({
      id: req.params.id,
      started: true,
      log,
      progress: `/api/deployments/${req.params.id}/progress`,
    });
  });

  // QA's results of the manual checks: always recorded as manual (automated results come only from `verify`)
  server.post<{ Params: IdParams }>('/api/deployments/:id/verification', async (req) => {
    const results = (req.body as { results?: unknown } | null)?.results;
    const warnings: string[] = [];
    const record = await app.act(
      req.params.id,
      'record-verification',
      { source: 'manual', results },
      req.user!.login,
      {
        warnings,
      },
    );
    return { id: record.id, state: record.state, warnings };
  });

  server.post<{ Params: IdParams }>('/api/deployments/:id/validate', async (req) => {
    const record = await validateDeployment(app, req.params.id, req.user!.login);
    const report = record.validations.at(-1)!;
    return { id: record.id, state: record.state, worst: report.worst, report };
  });

  server.post<{ Params: IdParams & { op: string }; Querystring: { revision?: string } }>(
    '/api/deployments/:id/operations/:op',
    async (req) => {
      const { id, op } = req.params;
      if (!isOperationName(op))
        throw notFound(`there is no operation "${op}"`, { fix: 'see GET /api/operations' });
      await refuseEngineResult(app, op, req.body, req.user!.login, id);
      await assertEvidenceStored(app, req.body);
      const warnings: string[] = [];
      const expectedRevision = req.query.revision ? Number(req.query.revision) : undefined;
      const record = await app.act(id, op, req.body ?? {}, req.user!.login, { expectedRevision, warnings });
      return { id, operation: op, state: record.state, warnings };
    },
  );
}

/**
 * Engine results (validation reports, automated verification, run facts) are never taken from a request body:
 * the engine's own routes (/validate, /deploy) produce them. The refusal is audited like a role refusal.
 */
async function refuseEngineResult(
  app: ServerContext['app'],
  op: keyof typeof operations,
  body: unknown,
  login: string,
  id: string,
): Promise<void> {
  const parsed = operations[op].input.safeParse(body ?? {});
  const input: unknown = parsed.success ? parsed.data : body;
  if (!operations[op].engineResult?.(input)) return;
  const actor = await app.actor(login);
  await app.recordRefusal(
    refused(`${op} records what mokodeploy's own run found; it is not accepted from a request`, {
      fix: `run it: POST /api/deployments/${id}/validate (validation), or the CLI (verify, deploy); manual verification results go to POST /api/deployments/${id}/verification`,
      security: true,
    }),
    actor.login,
    op,
    id,
  );
}
