import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from '../server/context.js';
import type { AppContext } from '../app/context.js';
import { MokoError, notFound, inputError } from '../core/errors.js';
import { requiredVerificationItems } from '../core/required-items.js';
import { evidenceFromForm } from '../server/evidence-from-form.js';
import { field, readForm, type FormData } from '../server/multipart-form.js';
import { submitPlanText } from '../server/plan-submit.js';
import { validateDeployment } from '../server/validate-deployment.js';
import { startDeploy } from '../server/start-deploy.js';
import { errorBody, statusOf } from '../server/http-errors.js';
import { loadDeployment } from '../server/deployment-views.js';
import { parseYamlWithSchema } from '../core/yaml-input.js';
import { planSchema } from '../core/plan.js';
import { actionFormByKey } from './action-forms.js';
import { inputFromForm } from './form-input.js';
import { pageContext, redirectDone, sendPage } from './page-context.js';
import { deploymentData } from './deployment-data.js';
import { deploymentPage } from './pages/deployment.js';
import { planNewPage } from './pages/plan-new.js';
import { may } from './permissions.js';

interface IdParams {
  id: string;
}

/**
 * A refusal of the core that a person can fix on the form (bad input, a gate, a state): the same page again,
 * the error at the form, everything typed kept. Security refusals and bugs go to the error page.
 */
function fixable(e: unknown): e is MokoError {
  return e instanceof MokoError && !e.security && e.kind !== 'not-found' && e.kind !== 'target';
}

async function againWithError(
  app: AppContext,
  req: FastifyRequest,
  reply: FastifyReply,
  id: string,
  key: string,
  form: FormData,
  e: MokoError,
) {
  const values = Object.fromEntries(Object.entries(form.fields).filter(([k]) => k !== '_csrf'));
  const data = await deploymentData(app, id, { key, values, error: errorBody(e) });
  return sendPage(reply, deploymentPage(await pageContext(app, req, reply), data), statusOf(e));
}

/**
 * The forms (POST): each performs a core operation as the logged-in person through app.act —
 * the same roles, gates and audit entries as the API and the CLI — then redirects back.
 */
export function registerForms(server: FastifyInstance, { app }: ServerContext): void {
  /** Run a form's work; a fixable refusal comes back on the same page with the form as it was sent. */
  const handle = async (
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    key: string,
    work: (form: FormData) => Promise<unknown>,
  ) => {
    const form = readForm(req.body);
    try {
      return await work(form);
    } catch (e) {
      if (fixable(e)) return againWithError(app, req, reply, id, key, form, e);
      throw e;
    }
  };

  server.post<{ Params: IdParams & { key: string } }>('/deployments/:id/actions/:key', async (req, reply) => {
    const action = actionFormByKey(req.params.key);
    if (!action) throw notFound(`there is no action "${req.params.key}"`);
    const { record } = await loadDeployment(app, req.params.id);
    return handle(req, reply, req.params.id, action.key, async (form) => {
      const warnings: string[] = [];
      const input = await inputFromForm(app, action, form, record.plan.window?.timezone ?? 'UTC');
      await app.act(req.params.id, action.op, input, req.user!.login, { warnings });
      return redirectDone(req, reply, req.params.id, action.key, warnings);
    });
  });

  server.post<{ Params: IdParams & { item: string } }>(
    '/deployments/:id/checklist/:item',
    async (req, reply) =>
      handle(req, reply, req.params.id, `tick:${req.params.item}`, async (form) => {
        await app.act(
          req.params.id,
          'tick',
          { item: req.params.item, evidence: await evidenceFromForm(app, form), note: field(form, 'note') },
          req.user!.login,
        );
        return redirectDone(req, reply, req.params.id, 'tick', [], `#item-${req.params.item}`);
      }),
  );

  server.post<{ Params: IdParams }>('/deployments/:id/verification', async (req, reply) =>
    handle(req, reply, req.params.id, 'verification', async (form) => {
      const results = requiredVerificationItems(app.policy())
        .map((i) => ({
          id: i.id,
          status: field(form, `status:${i.id}`),
          observed: field(form, `observed:${i.id}`),
        }))
        .filter((r) => r.status !== undefined);
      if (results.length === 0)
        throw inputError('no result chosen', {
          fix: 'choose pass, fail, warn or skip for each item you checked',
        });
      await app.act(req.params.id, 'record-verification', { source: 'manual', results }, req.user!.login);
      return redirectDone(req, reply, req.params.id, 'verification');
    }),
  );

  server.post<{ Params: IdParams }>('/deployments/:id/validate', async (req, reply) => {
    await validateDeployment(app, req.params.id, req.user!.login);
    return redirectDone(req, reply, req.params.id, 'validate', [], '#validation-title');
  });

  server.post<{ Params: IdParams }>('/deployments/:id/deploy', async (req, reply) =>
    handle(req, reply, req.params.id, 'deploy', async () => {
      await startDeploy(app, req.params.id, req.user!.login);
      return redirectDone(req, reply, req.params.id, 'deploy', [], '#progress-title');
    }),
  );

  server.post<{ Params: IdParams }>('/deployments/:id/revise', async (req, reply) =>
    handle(req, reply, req.params.id, 'revise', async (form) => {
      const text = field(form, 'plan');
      if (!text) throw inputError('no plan given', { fix: 'edit the plan YAML in the form' });
      const plan = parseYamlWithSchema(text, 'revised plan', planSchema, 'plan');
      const warnings: string[] = [];
      await app.act(req.params.id, 'revise-plan', { plan }, req.user!.login, { warnings });
      return redirectDone(req, reply, req.params.id, 'revise', warnings);
    }),
  );

  server.post('/plans', async (req, reply) => {
    const form = readForm(req.body);
    const pasted = form.fields.plan?.[0] ?? '';
    try {
      const text =
        field(form, 'plan') ?? form.files.find((f) => f.field === 'file')?.content.toString('utf8');
      if (!text) throw inputError('no plan given', { fix: 'paste the plan YAML or choose the plan file' });
      const { record, warnings } = await submitPlanText(app, text, {
        login: req.user!.login,
        source: 'submitted plan',
        submit: field(form, 'draft') !== 'true',
      });
      return redirectDone(req, reply, record.id, 'plan', warnings);
    } catch (e) {
      if (!fixable(e)) throw e;
      const page = await pageContext(app, req, reply);
      const body = planNewPage(page, may(app.policy(), req.user!, 'plan.submit'), {
        text: pasted,
        draft: field(form, 'draft') === 'true',
        error: errorBody(e),
      });
      return sendPage(reply, body, statusOf(e));
    }
  });
}
