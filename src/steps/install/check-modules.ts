import { refused } from '../../core/errors.js';
import { moduleCompatibilityProblems } from '../../dolibarr/module-compatibility.js';
import type { Step } from '../step.js';
import { installFacts } from './context.js';

/**
 * Customization Review "Module compatibility verified": every custom module's descriptor accepts the
 * target's PHP and the release's Dolibarr version (the tests activateModule() makes), checked before
 * anything on the target changes. Plans no action: it refuses or passes.
 */
export const checkModules: Step = {
  id: 'install:check-modules',
  title: 'Check custom modules against the target PHP and Dolibarr versions',
  policyRef: 'customization.module-compatibility',
  plan(ctx) {
    const facts = installFacts(ctx);
    const problems: string[] = [];
    for (const wanted of ctx.plan.customModules) {
      const found = facts.customModules?.find((m) => m.name === wanted.name);
      if (!found?.descriptor) {
        problems.push(`${wanted.name}: no core/modules/mod*.class.php descriptor found in ${wanted.source}`);
        continue;
      }
      problems.push(
        ...moduleCompatibilityProblems(found.descriptor, {
          phpVersion: facts.phpVersion ?? '0',
          dolibarrVersion: facts.releaseVersion ?? ctx.plan.dolibarr.version,
        }),
      );
    }
    if (problems.length > 0)
      throw refused('custom modules are not compatible with the target', {
        details: problems,
        fix: 'use module versions whose phpmin / need_dolibarr_version accept the target, or change the target',
      });
    return [];
  },
};
