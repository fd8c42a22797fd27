import { describe, expect, it } from 'vitest';
import {
  predictionDefaults,
  predictionErrorPercent,
  predictUpgrade,
  sizeWarning,
} from '../../../src/steps/rehearse/predict.js';

/** Issue 19: the prediction of the real upgrade from a rehearsal's measured parts (steps of the copy engine as now). */
const copySteps = [
  ['backup:dump', 4000],
  ['upgrade:check-copy', 300],
  ['upgrade:cron-pause', 10],
  ['upgrade:read-only-on', 270],
  ['upgrade:copy-database', 6000],
  ['upgrade:verify-copy', 1000],
  ['upgrade:copy-conf', 20],
  ['upgrade:migrate-copy-19.0.0-20.0.0', 3000],
  ['upgrade:verify-copy-version', 50],
  ['upgrade:modules', 900],
  ['upgrade:switch-conf', 10],
  ['upgrade:switch', 30],
  ['upgrade:reload-php', 0],
  ['upgrade:live-database', 200],
  ['upgrade:read-only-off', 20],
  ['upgrade:relock', 10],
  ['upgrade:verify-db-version', 60],
  ['upgrade:telemetry', 300],
  ['backup:retention', 100],
  ['upgrade:write-mark', 400],
  ['upgrade:writable', 20],
  ['upgrade:cron-resume', 10],
].map(([id, ms]) => ({ id: id as string, ms: ms as number }));

describe('predictUpgrade', () => {
  it("copy: the engine's own window, cron pause to writes back, with every step after the switch (session 5 missed them)", () => {
    const p = predictUpgrade({ engine: 'copy', steps: copySteps, reloadSeconds: 0.5, reloadIds: [] })!;
    // 0.01 + 0.27 + 6 + 1 + 0.02 + 3 + 0.05 + 0.9 + 0.01 + 0.03 + 0 + 0.2 + 0.02 + 0.01 + 0.06 + 0.3 + 0.1 + 0.4 + 0.02
    expect(p.writeUnavailableSeconds).toBe(12.4);
    expect(p.parts.map((x) => x.id)).toContain('upgrade:write-mark');
    expect(p.parts.map((x) => x.id)).toContain('upgrade:writable');
    expect(p.parts.map((x) => x.id)).not.toContain('backup:dump');
    expect(p.parts.map((x) => x.id)).not.toContain('upgrade:cron-resume');
    // nginx: the switch reloads nothing in the real run either, so the rehearsal's measure stands
    expect(p.parts.find((x) => x.id === 'upgrade:reload-php')?.basis).toBe('measured');
    expect(p.outageSeconds).toBe(0.03);
  });

  it("a step that reloads in the real run (Apache's switch) counts the estimate, the others as measured", () => {
    const p = predictUpgrade({
      engine: 'copy',
      steps: copySteps,
      reloadSeconds: 0.5,
      reloadIds: ['upgrade:reload-php'],
    })!;
    expect(p.writeUnavailableSeconds).toBe(12.9);
    expect(p.outageSeconds).toBe(0.53);
    expect(p.parts.find((x) => x.id === 'upgrade:reload-php')).toEqual({
      id: 'upgrade:reload-php',
      seconds: 0.5,
      basis: 'estimated',
    });
  });

  it('reloads: without reloadIds every reload step of the window is estimated; the copy speed from the restored copy', () => {
    const p = predictUpgrade({ engine: 'copy', steps: copySteps, rehearsalBytes: 120e6 })!;
    expect(p.parts.filter((x) => x.basis === 'estimated').map((x) => x.seconds)).toEqual([
      predictionDefaults.reloadSeconds.copy,
    ]);
    expect(p.copyBytesPerSecond).toBe(20e6);
    expect(p.parts.find((x) => x.id === 'upgrade:copy-database')).toEqual({
      id: 'upgrade:copy-database',
      seconds: 6,
      basis: 'measured',
    });
  });

  it("the runner's time between steps, from the rehearsal's journal window, counts as measured", () => {
    const p = predictUpgrade({ engine: 'copy', steps: copySteps, reloadIds: [], windowSeconds: 14 })!;
    // the steps of the window took 12.4 s in the rehearsal: 1.6 s between them
    expect(p.parts.at(-1)).toEqual({ id: 'between steps', seconds: 1.6, basis: 'measured' });
    expect(p.writeUnavailableSeconds).toBe(14);
    // a window shorter than its steps (clock rounding) adds nothing
    expect(
      predictUpgrade({ engine: 'copy', steps: copySteps, reloadIds: [], windowSeconds: 10 })!.parts.at(-1)
        ?.id,
    ).toBe('upgrade:writable');
  });

  it('sizes only warn: production and the copy more than a quarter apart', () => {
    expect(sizeWarning(100e6, 120e6)).toBeUndefined();
    expect(sizeWarning(100e6, 130e6)).toContain('differ by 30%');
    expect(sizeWarning(100e6, 40e6)).toContain('rehearse again');
    expect(sizeWarning(undefined, 40e6)).toBeUndefined();
  });

  it('in place: the maintenance window is both the outage and the writes unavailable', () => {
    const steps = [
      ['upgrade:unlock', 10],
      ['upgrade:maintenance-on', 20],
      ['upgrade:switch', 30],
      ['upgrade:reload-php', 0],
      ['upgrade:migrate-19.0.0-20.0.0', 2000],
      ['upgrade:maintenance-off', 20],
      ['upgrade:relock', 10],
    ].map(([id, ms]) => ({ id: id as string, ms: ms as number }));
    const p = predictUpgrade({ engine: 'in-place', steps, reloadSeconds: 0.25 })!;
    expect(p.writeUnavailableSeconds).toBe(2.32);
    expect(p.outageSeconds).toBe(2.32);
  });

  it('no prediction when the rehearsal stopped before the end of the window', () => {
    expect(predictUpgrade({ engine: 'copy', steps: copySteps.slice(0, 19) })).toBeUndefined();
    expect(predictUpgrade({ engine: 'in-place', steps: copySteps })).toBeUndefined();
  });

  it('error in percent of what happened', () => {
    expect(predictionErrorPercent(11, 10)).toBe(10);
    expect(predictionErrorPercent(8, 10)).toBe(-20);
    expect(predictionErrorPercent(0, 0)).toBe(0);
    expect(predictionErrorPercent(1, 0)).toBe(Infinity);
  });
});
