import type { Host } from '../../hosts/host.js';
import type { Step, StepContext } from '../step.js';
import { copyUpgradePipeline } from '../upgrade-copy/index.js';
import type { UpgradeFacts } from '../upgrade/context.js';
import { upgradePipeline } from '../upgrade/index.js';
import type { Engine } from './predict.js';

/**
 * Issue 19: which steps of the real upgrade reload PHP-FPM, asked of the steps themselves: a rehearsal reloads
 * nothing (its facts say `phpReload: none`), so each `…reload-php…` step is planned again as if production's PHP-FPM
 * could be reloaded; one that plans an action reloads in the real run (the in-place engine's; the copy engine's
 * switch on Apache only, upgrade-copy/reload-wait.ts flipReloadStep), one that plans none does not (nginx).
 */
export function reloadingSteps(engine: Engine, ctx: StepContext): string[] {
  const facts = ctx.facts as unknown as UpgradeFacts;
  const steps: Step[] = (engine === 'copy' ? copyUpgradePipeline : upgradePipeline)(facts, ctx.plan);
  const asIfReloading = {
    ...ctx,
    facts: { ...ctx.facts, phpReload: { kind: 'pidfile', path: '/run/php/php-fpm.pid' } },
  };
  return steps
    .filter((s) => /reload-php/.test(s.id))
    .filter((s) => {
      try {
        return s.plan(asIfReloading).length > 0;
      } catch {
        return true; // cannot tell: counted as a reload (the estimate is small)
      }
    })
    .map((s) => s.id);
}

/** The target's 1-minute load average (/proc/loadavg), or undefined where there is none. */
export async function readLoadAverage(host: Host): Promise<number | undefined> {
  const r = await host.run({ argv: ['cat', '/proc/loadavg'], timeoutMs: 10_000 });
  const n = Number(r.stdout.split(' ')[0]);
  return r.code === 0 && Number.isFinite(n) ? n : undefined;
}
