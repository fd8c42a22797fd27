import type { Host } from '../hosts/host.js';
import type { Plan } from '../core/plan.js';
import { refused } from '../core/errors.js';
import type { Step } from '../steps/step.js';
import { checkEntitiesPlan, entitiesPipeline } from '../steps/entities/index.js';
import { gatherInstallFacts, installPipeline, type InstallFacts } from '../steps/install/index.js';
import { restorePipeline } from '../steps/restore/index.js';
import { gatherRecoveryFacts } from '../steps/restore/recovery-facts.js';
import { gatherUpgradeFacts, upgradePipeline, type UpgradeFacts } from '../steps/upgrade/index.js';
import { copyUpgradePipeline } from '../steps/upgrade-copy/index.js';
import { gatherIntegrationFacts, integrationSteps } from '../steps/integrations/index.js';

/** What the engine runs for a deployment: how to read the facts it plans from, and its steps for those facts. */
export interface Pipeline {
  name: string;
  gatherFacts(host: Host): Promise<Record<string, unknown>>;
  steps(facts: Record<string, unknown>): Step[];
}

/** The pipeline for a plan's kind (overrides: facts the operator gave, e.g. how PHP-FPM is reloaded) (policy "Deployment Procedures"); kinds not automated yet are refused. */
export function pipelineFor(
  plan: Plan,
  overrides: Record<string, unknown> = {},
  /** Facts of the client's records: a disaster recovery checks the backup's manifest against them (issue 23). */
  recordedFacts: readonly Record<string, unknown>[] = [],
): Pipeline {
  const given = { ...installFactsFromPlan(plan), ...overrides };
  checkEntitiesPlan(plan);
  if (plan.kind === 'new') {
    return {
      name: 'install',
      gatherFacts: async (host) => ({
        ...(await gatherInstallFacts(host, plan, given)),
      }),
      // issue 18: a new install whose plan has entities configures them after the install's own steps
      steps: () => [
        ...installPipeline(),
        ...(plan.entities.length > 0 ? entitiesPipeline() : []),
        ...integrationSteps(plan), // issue 17: the plan's integrations, configured and checked last
      ],
    };
  }
  if (plan.kind === 'integration') {
    // issue 17: integrations alone, on the site the plan's target already serves
    return {
      name: 'integrations',
      gatherFacts: async (host) => ({ ...(await gatherIntegrationFacts(host, plan, given)) }),
      steps: (facts) => integrationSteps(plan, facts), // facts: webhook targets an earlier plan left (issue 17)
    };
  }
  if (plan.kind === 'multi-entity') {
    // issue 18: entities on an existing install (the multicompany module installed and enabled first)
    return {
      name: 'entities',
      gatherFacts: async () => ({ ...given }),
      steps: () => entitiesPipeline({ standalone: true }),
    };
  }
  if (plan.kind === 'upgrade' || plan.kind === 'customization') {
    // deploy runs this pipeline only as a dry run: the real upgrade adds the downtime probe, the health check
    // and the automatic rollback around it (src/steps/upgrade/run-upgrade.ts, src/app/engine/upgrade-run.ts)
    return {
      name: 'upgrade',
      gatherFacts: async (host) => ({
        ...(await gatherUpgradeFacts(host, plan, given)),
      }),
      // issue 19: the upgrade by copy unless the in-place engine is asked for (overrides.inPlace)
      steps: (facts) => {
        const passes = (facts as Partial<UpgradeFacts>).passes ?? [];
        return overrides.inPlace === true
          ? upgradePipeline({ passes }, plan)
          : copyUpgradePipeline({ passes }, plan);
      },
    };
  }
  if (plan.kind === 'disaster-recovery') {
    return {
      name: 'restore',
      gatherFacts: async (host) => ({
        ...(await gatherRecoveryFacts(host, plan, given, recordedFacts)),
      }),
      steps: () => restorePipeline(),
    };
  }
  const id = plan.id ?? plan.client;
  if (plan.kind === 'data-migration')
    throw refused(`${id} is a data migration: it has no steps on the server to list`, {
      fix: `try the imports without committing: mokodeploy migrate run ${id} --dry-run; deploy ${id} runs them for real`,
    });
  throw refused(
    `deploy automates a new install, an upgrade, a customization, a data migration, a multi-entity setup, an integration and a disaster recovery; this one is of kind "${plan.kind}"`,
    {
      fix: `carry it out by hand and record it: mokodeploy run-record ${id} --started … --finished … --evidence …`,
    },
  );
}

/** What the plan says about the target's service management, as install facts. */
export function installFactsFromPlan(plan: Plan): Partial<InstallFacts> {
  const t = plan.target;
  return {
    serviceManager: t.serviceManager,
    ...(t.cronDir ? { cronDir: t.cronDir } : {}),
    ...(t.phpFpmSocket ? { fpmSocket: t.phpFpmSocket } : {}),
  };
}
