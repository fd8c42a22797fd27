import { inputError } from '../../core/errors.js';
import type { Integration } from '../../core/plan-integrations.js';
import { Secret } from '../../core/secret.js';
import { targetLayout } from '../../dolibarr/layout.js';
import type { Command } from '../../hosts/host.js';
import type { IntegrationToolName } from '../../integrations/php/index.js';
import type { StepContext } from '../step.js';

/**
 * Where the integration steps work: the release `current` serves and our tools directory. Neither depends on
 * the release name, so the same steps run after an install, after an upgrade, or alone on a live site.
 */
export function integrationPaths(ctx: StepContext) {
  const l = targetLayout(ctx.plan.target.root, ctx.plan.target.dataRoot, 'current');
  return { htdocs: l.currentHtdocs, toolsDir: l.toolsDir, sharedConfDir: l.sharedConfDir };
}

export const phpOf = (ctx: StepContext): string =>
  typeof ctx.facts.phpBinary === 'string' ? ctx.facts.phpBinary : 'php';

/** The plan's integrations that configure something of this kind. */
export function integrationsWith<K extends 'smtp' | 'imap' | 'stripe' | 'paypal' | 'api'>(
  ctx: StepContext,
  key: K,
): (Integration & Required<Pick<Integration, K>>)[] {
  return ctx.plan.integrations.filter((i): i is Integration & Required<Pick<Integration, K>> => !!i[key]);
}

export function secretOf(ctx: StepContext, name: string): Secret {
  if (!ctx.secret)
    throw inputError(`secret "${name}" is needed but no secret store was given to the step`, {
      fix: 'run the integration steps through the runner, which resolves secrets from the store',
    });
  return ctx.secret(name);
}

/**
 * One of our PHP tools, run as the web user from the live htdocs with its JSON request (which may carry a
 * password) on stdin, wrapped in a Secret. `caFile`: a private CA the server's certificate chains to, given to
 * OpenSSL as SSL_CERT_FILE (PHP verifies peers against OpenSSL's default paths when openssl.cafile is unset).
 */
export function integrationTool(
  ctx: StepContext,
  tool: IntegrationToolName,
  request: Record<string, unknown>,
  caFile?: string,
): Command {
  const p = integrationPaths(ctx);
  return {
    argv: [phpOf(ctx), `${p.toolsDir}/${tool}`],
    stdin: new Secret(JSON.stringify({ htdocs: p.htdocs, admin: ctx.plan.admin.login, ...request })),
    asUser: ctx.plan.target.webUser,
    cwd: p.htdocs,
    timeoutMs: 300_000,
    ...(caFile ? { env: { SSL_CERT_FILE: caFile } } : {}),
  };
}

/** One thing a check step verifies, kept in the run's outputs (the record's lastRun): what was tested, for which integration. */
export interface IntegrationCheck {
  integration: string;
  step: string;
  check: string;
}

/**
 * Note what a step checks in ctx.outputs.integrationChecks (policy Phase 3 "Test integrations"): the runner journals
 * the outputs with the step's time and `deploy` records them on the deployment, so the record says what was tested
 * and when; the run only succeeds if every check passed.
 */
export function noteCheck(ctx: StepContext, step: string, integration: string, check: string): void {
  const before = (ctx.outputs.integrationChecks as IntegrationCheck[] | undefined) ?? [];
  ctx.outputs.integrationChecks = [...before, { integration, step, check }];
}
