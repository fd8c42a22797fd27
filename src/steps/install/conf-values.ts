import type { ConfPhp } from '../../dolibarr/conf-php.js';
import type { StepContext } from '../step.js';
import { derivedSecrets, installFacts, layoutOf, secretOf } from './context.js';

/**
 * The conf.php this deployment wants. The instance unique id is taken from the existing conf.php when
 * there is one, else from the store (generated once by the CSPRNG): never regenerated (DOLIBARR.md §3).
 */
export function plannedConf(ctx: StepContext): ConfPhp {
  const { plan, policy } = ctx;
  const layout = layoutOf(ctx);
  const existing = installFacts(ctx).existingConf;
  const existingId = existing?.instanceUniqueId.reveal() ? existing.instanceUniqueId : undefined;
  return {
    urlRoot: plan.site.url.replace(/\/+$/, ''),
    documentRoot: layout.currentHtdocs,
    documentRootAlt: `${layout.currentHtdocs}/custom`,
    dataRoot: layout.dataRoot,
    db: {
      type: 'mysqli',
      host: plan.database.host,
      port: plan.database.port,
      name: plan.database.name,
      prefix: 'llx_',
      user: plan.database.user,
      password: secretOf(ctx, plan.database.password.secret),
      characterSet: policy.environment.server.database.charset,
      collation: policy.environment.server.database.collation,
    },
    instanceUniqueId: existingId ?? secretOf(ctx, derivedSecrets.instanceUniqueId(plan.client)),
    prod: true,
    forceHttps: true,
  };
}
