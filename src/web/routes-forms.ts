import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../server/context.js';
import { notFound, inputError } from '../core/errors.js';
import { requiredVerificationItems } from '../core/required-items.js';
import { evidenceFromForm } from '../server/evidence-from-form.js';
import { field, readForm } from '../server/multipart-form.js';
import { submitPlanText } from '../server/plan-submit.js';
import { validateDeployment } from '../server/validate-deployment.js';
import { startDeploy } from '../server/start-deploy.js';
import { parseYamlWithSchema } from '../core/yaml-input.js';
import { planSchema } from '../core/plan.js';
import { actionFormByKey } from './action-forms.js';
import { inputFromForm } from './form-input.js';
import { redirectDone } from './page-context.js';

interface IdParams {
  id: string;
}

/**
 * The forms (POST): each performs a core operation as the logged-in person through app.act —
 * the same roles, gates and audit entries as the API and the CLI — then redirects back.
 */
export function registerForms(server: FastifyInstance, { app }: ServerContext): void {
  server.post<{ Params: IdParams & { key: string } }>('/deployments/:id/actions/:key', async (req, reply) => {
    const action = actionFormByKey(req.params.key);
    if (!action) throw notFound(`there is no action "${req.params.key}"`);
    const warnings: string[] = [];
    await app.act(req.params.id, action.op, inputFromForm(app, action, readForm(req.body)), req.user!.login, {
      warnings,
    });
    return redirectDone(reply, req.params.id, action.key, warnings);
  });

  server.post<{ Params: IdParams & { item: string } }>(
    '/deployments/:id/checklist/:item',
    async (req, reply) => {
      const form = readForm(req.body);
      await app.act(
        req.params.id,
        'tick',
        { item: req.params.item, evidence: evidenceFromForm(app, form), note: field(form, 'note') },
        req.user!.login,
      );
      return redirectDone(reply, req.params.id, 'tick', [], `#item-${req.params.item}`);
    },
  );

  server.post<{ Params: IdParams }>('/deployments/:id/verification', async (req, reply) => {
    const form = readForm(req.body);
    const results = requiredVerificationItems(app.policy())
      .map((i) => ({
        id: i.id,
        status: field(form, `status:${i.id}`),
        observed: field(form, `observed:${i.id}`),
      }))
      .filter((r) => r.status !== undefined);
    await app.act(req.params.id, 'record-verification', { source: 'manual', results }, req.user!.login);
    return redirectDone(reply, req.params.id, 'verification');
  });

  server.post<{ Params: IdParams }>('/deployments/:id/validate', async (req, reply) => {
    await validateDeployment(app, req.params.id, req.user!.login);
    return redirectDone(reply, req.params.id, 'validate', [], '#validation-title');
  });

  server.post<{ Params: IdParams }>('/deployments/:id/deploy', async (req, reply) => {
    await startDeploy(app, req.params.id, req.user!.login);
    return redirectDone(reply, req.params.id, 'deploy', [], '#progress-title');
  });

  server.post<{ Params: IdParams }>('/deployments/:id/revise', async (req, reply) => {
    const text = field(readForm(req.body), 'plan');
    if (!text) throw inputError('no plan given', { fix: 'edit the plan YAML in the form' });
    const plan = parseYamlWithSchema(text, 'revised plan', planSchema, 'plan');
    const warnings: string[] = [];
    await app.act(req.params.id, 'revise-plan', { plan }, req.user!.login, { warnings });
    return redirectDone(reply, req.params.id, 'revise', warnings);
  });

  server.post('/plans', async (req, reply) => {
    const form = readForm(req.body);
    const text = field(form, 'plan') ?? form.files.find((f) => f.field === 'file')?.content.toString('utf8');
    if (!text) throw inputError('no plan given', { fix: 'paste the plan YAML or choose the plan file' });
    const { record, warnings } = await submitPlanText(app, text, {
      login: req.user!.login,
      source: 'submitted plan',
      submit: field(form, 'draft') !== 'true',
    });
    return redirectDone(reply, record.id, 'plan', warnings);
  });
}
