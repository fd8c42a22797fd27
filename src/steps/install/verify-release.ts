import { refused } from '../../core/errors.js';
import type { Step } from '../step.js';
import { installFacts } from './context.js';

/**
 * Phase 2 "Install base system", before anything changes: the tarball is the one the plan names
 * (sha256, checked on the target at apply time too) and holds the version the plan expects.
 */
export const verifyRelease: Step = {
  id: 'install:verify-release',
  title: 'Verify the release tarball (sha256, version)',
  policyRef: 'deploy.phase2.install-base',
  plan(ctx) {
    const { plan } = ctx;
    const facts = installFacts(ctx);
    const problems: string[] = [];
    if (/^[a-z]+:\/\//i.test(plan.dolibarr.release))
      problems.push(
        `the release is a URL and the deployment has no package: build one (mokodeploy package <id>: downloads it once against dolibarr.sha256 and ships it with the deployment)`,
      );
    if (plan.dolibarr.sha256 && facts.releaseSha256 && facts.releaseSha256 !== plan.dolibarr.sha256)
      problems.push(`sha256 is ${facts.releaseSha256}, the plan says ${plan.dolibarr.sha256}`);
    if (!facts.releaseVersion)
      problems.push('no DOL_VERSION found in htdocs/filefunc.inc.php or htdocs/version.inc.php');
    else if (facts.releaseVersion !== plan.dolibarr.version)
      problems.push(
        `the tarball holds Dolibarr ${facts.releaseVersion}, the plan says ${plan.dolibarr.version}`,
      );
    // without scripts/, the jobs run through htdocs/public/cron/cron_run_jobs_by_url.php (cron-by-url.ts)
    if (facts.releaseHasCronScript === false && facts.releaseHasCronPage === false && !facts.skipCron)
      problems.push(
        'neither scripts/cron/cron_run_jobs.php nor htdocs/public/cron/cron_run_jobs_by_url.php is in it: Dolibarr scheduled jobs could not run (policy Phase 3)',
      );
    if (problems.length > 0)
      throw refused(`release ${plan.dolibarr.release} does not match the plan`, {
        details: problems,
        fix: 'point dolibarr.release at the right (official, complete) tarball or correct dolibarr.version / dolibarr.sha256',
      });
    if (!plan.dolibarr.sha256) return [];
    return [
      {
        kind: 'run',
        description: `check sha256 of ${plan.dolibarr.release}`,
        command: {
          sudo: true,
          argv: ['sha256sum', '--check', '--strict', '--status'],
          stdin: `${plan.dolibarr.sha256}  ${plan.dolibarr.release}\n`,
        },
      },
    ];
  },
};
