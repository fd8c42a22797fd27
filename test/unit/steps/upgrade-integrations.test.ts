import { describe, expect, it } from 'vitest';
import { planSchema } from '../../../src/core/plan.js';
import { pipelineFor } from '../../../src/runner/pipelines.js';
import { rehearsalPlan } from '../../../src/steps/rehearse/plan.js';
import { copyUpgradePipeline } from '../../../src/steps/upgrade-copy/index.js';
import { upgradePipeline } from '../../../src/steps/upgrade/index.js';
import { makeTestPlan } from '../../helpers/services/plan.js';

/**
 * Issue 17 inside an upgrade: both engines run the telemetry step after the migration and the switch (upgrade2.php
 * re-arms the first ping), then the plan's integrations; the health check and the after-upgrade inventory come after
 * the pipeline (run-copy-upgrade.ts, run-upgrade.ts). A rehearsal checks no integration.
 */
const passes = [{ from: '19.0.0', to: '20.0.0', step5Action: 'upgrade' }];
const plan = planSchema.parse({
  ...makeTestPlan(),
  kind: 'upgrade',
  integrations: [{ id: 'erp', kind: 'api', api: { url: 'https://erp.acme.test/health' } }],
});
const ids = (steps: { id: string }[]) => steps.map((s) => s.id);

describe('integration steps inside an upgrade', () => {
  for (const [engine, steps] of [
    ['copy', ids(copyUpgradePipeline({ passes }, plan))],
    ['in-place', ids(upgradePipeline({ passes }, plan))],
  ] as const)
    it(`${engine}: telemetry then the integrations, after the switch and the version check, before retention`, () => {
      const at = (id: string) => steps.indexOf(id);
      expect(at('upgrade:telemetry')).toBeGreaterThan(at('upgrade:switch'));
      expect(at('upgrade:telemetry')).toBeGreaterThan(at('upgrade:verify-db-version'));
      expect(at('integrations:php-tools')).toBeGreaterThan(at('upgrade:telemetry'));
      expect(at('integrations:api-check')).toBeGreaterThan(at('integrations:php-tools'));
      expect(at('backup:retention')).toBeGreaterThan(at('integrations:api-check'));
    });

  it('without a plan (step-order tests) nothing is added; without integrations telemetry and the webhook removal', () => {
    expect(ids(copyUpgradePipeline({ passes }))).not.toContain('upgrade:telemetry');
    const bare = planSchema.parse({ ...makeTestPlan(), kind: 'upgrade' });
    const steps = copyUpgradePipeline({ passes }, bare);
    const list = ids(steps);
    expect(list).toContain('upgrade:telemetry');
    expect(list.filter((id) => id.startsWith('integrations:'))).toEqual([
      'integrations:php-tools',
      'integrations:webhook-remove',
    ]);
    // they plan nothing unless the facts read before the upgrade found targets of ours
    const ctx = (facts: Record<string, unknown>) => ({ plan: bare, policy: {} as never, facts, outputs: {} });
    const removal = steps.filter((s) => s.id.startsWith('integrations:'));
    for (const facts of [{}, { webhookTargetsFound: [] }])
      expect(removal.flatMap((s) => s.plan(ctx(facts)))).toEqual([]);
    const found = removal.flatMap((s) => s.plan(ctx({ webhookTargetsFound: ['mokodeploy-erp'] })));
    expect(found.map((a) => a.description).at(-1)).toMatch(/^remove webhook targets mokodeploy-erp /);
    expect(list.indexOf('integrations:webhook-remove')).toBeLessThan(list.indexOf('upgrade:write-mark'));
  });

  it('with other integrations but no webhook: the removal right after the tools, before the checks', () => {
    const list = ids(copyUpgradePipeline({ passes }, plan));
    expect(list.indexOf('integrations:webhook-remove')).toBe(list.indexOf('integrations:php-tools') + 1);
    expect(list.indexOf('integrations:webhook-remove')).toBeLessThan(list.indexOf('integrations:api-check'));
  });

  it('deploy --dry-run of an upgrade plan lists them (both engines)', () => {
    for (const inPlace of [false, true]) {
      const list = ids(pipelineFor(plan, { inPlace }).steps({ passes }));
      expect(list).toContain('upgrade:telemetry');
      expect(list).toContain('integrations:api-check');
    }
  });

  it('a rehearsal reaches none of the outside systems: its plan has no integrations', () => {
    expect(rehearsalPlan(plan).integrations).toEqual([]);
  });
});
