import { join } from 'node:path';
import type { Plan } from '../../src/core/plan.js';
import { entitiesPipeline } from '../../src/steps/entities/index.js';
import type { StepContext } from '../../src/steps/step.js';
import { buildFixtureRelease } from './fixture-release/build.js';
import { packMulticompanyModule } from './fixture-release/multicompany.js';
import { startInstallStack, type InstallStack } from './install-stack/index.js';
import { runPipeline } from './install-stack/run-pipeline.js';

/** A plan user of one entity who may only read third parties (the entity tests' people). */
export const entityReader = (login: string, lastname: string) => ({
  login,
  lastname,
  admin: false,
  password: { secret: `acme/${login}` },
  rights: ['societe.lire'],
});

/**
 * The fixture release 20.0.2 installed with the stand-in multicompany module as a custom module
 * (fixture-release/multicompany.ts), then the plan's `entities` made by the entity steps for real. `out` holds
 * the release and the module; `modules` are the plan's Dolibarr modules.
 */
export async function startEntitiesStack(
  out: string,
  entities: Plan['entities'],
  modules?: string[],
): Promise<{ stack: InstallStack; ctx: StepContext }> {
  const fixture = buildFixtureRelease({ version: '20.0.2' }, out);
  const stack = await startInstallStack({
    release: fixture.tarball,
    version: fixture.version,
    sha256: fixture.sha256,
    ...(modules ? { modules } : {}),
    customModules: [{ name: 'multicompany', source: packMulticompanyModule(join(out, 'modules')) }],
  });
  try {
    const ctx: StepContext = { ...stack.ctx, plan: { ...stack.plan, entities } };
    await runPipeline(stack.host, entitiesPipeline(), ctx);
    return { stack, ctx };
  } catch (e) {
    await stack.stop();
    throw e;
  }
}
