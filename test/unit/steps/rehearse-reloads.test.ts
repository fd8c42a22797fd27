import { describe, expect, it } from 'vitest';
import { reloadingSteps } from '../../../src/steps/rehearse/reloads.js';
import { migrationPasses } from '../../../src/steps/upgrade/index.js';
import { testContext } from './install-context.js';

/**
 * Issue 19: the rehearsal reloads nothing, so the prediction asks the real pipeline's steps which of them reload
 * PHP-FPM (predict.ts counts an estimate for those only).
 */
const ctx = (webServer: 'nginx' | 'apache') => {
  const base = testContext({}, { kind: 'upgrade', target: { ...testContext().plan.target, webServer } });
  return {
    ...base,
    facts: {
      ...base.facts,
      target: { currentRelease: '19.0.4-20261101000000', dbVersion: '19.0.4', filesVersion: '19.0.4' },
      previousRelease: '19.0.4-20261101000000',
      passes: migrationPasses('19.0.4', '20.0.2'),
      // what a rehearsal's facts say
      phpReload: { kind: 'none' },
      stamp: '20261206150000',
    },
  };
};

describe('reloadingSteps', () => {
  it('copy engine on nginx: no step reloads (the switch flips `current` alone)', () => {
    expect(reloadingSteps('copy', ctx('nginx'))).toEqual([]);
  });

  it("copy engine on Apache: the switch's reload", () => {
    expect(reloadingSteps('copy', ctx('apache'))).toEqual(['upgrade:reload-php']);
  });

  it('in place: its reload at the switch, whatever the web server', () => {
    expect(reloadingSteps('in-place', ctx('nginx'))).toContain('upgrade:reload-php');
  });
});
