import { describe, expect, it } from 'vitest';
import { automaticRollbackDecision } from '../../src/app/engine/automatic-rollback.js';
import { loadPolicy } from '../../src/policy/load.js';

describe("the decision behind an upgrade's own rollback (policy Rollback Procedures)", () => {
  const trigger = (outcome: string, failedStep?: string) =>
    automaticRollbackDecision({ outcome, failedStep, reason: 'x' })?.trigger;
  it('names the trigger that fired, by the step that failed', () => {
    expect(trigger('rolled-back', 'upgrade:migrate-19.0.4-20.0.0')).toBe('data-integrity');
    expect(trigger('rolled-back', 'upgrade:verify-db-version')).toBe('data-integrity');
    expect(trigger('rollback-failed', 'upgrade:swap-database')).toBe('data-integrity');
    expect(trigger('rolled-back', 'health-check')).toBe('critical-functionality');
    expect(trigger('rolled-back', 'upgrade:switch')).toBe('critical-functionality');
  });
  it('none when nothing was rolled back', () => {
    expect(trigger('upgraded')).toBeUndefined();
    expect(trigger('failed-before-switch', 'upgrade:migrate-19.0.4-20.0.0')).toBeUndefined();
  });
  it("every trigger it names is one of the policy's", () => {
    const ids = loadPolicy().rollback.triggers.map((t) => t.id);
    for (const step of ['upgrade:migrate-a', 'health-check'])
      expect(ids).toContain(trigger('rolled-back', step));
  });
  it('the reason says it was automatic', () => {
    expect(
      automaticRollbackDecision({ outcome: 'rolled-back', failedStep: 's', reason: 'login refused' }),
    ).toEqual({
      trigger: 'critical-functionality',
      reason: 'automatic rollback: login refused',
    });
  });
});
