import type { Action, Step } from '../step.js';
import { layoutOf } from './context.js';
import { rootOwnedTree, sudoRun } from './root-owned-tree.js';

/**
 * Policy Phase 2 step 4 "Install custom modules": each moko* module into htdocs/custom/<name>/ of the new
 * release (found there by dolGetModulesDirs(), core/lib/functions2.lib.php, via $dolibarr_main_document_root_alt),
 * owned by root with the policy's modes like the rest of the release. A source is a directory, a .tgz or a .zip
 * whose top directory is the module name.
 */
export function copyModuleActions(name: string, source: string, customDir: string): Action[] {
  const dest = `${customDir}/${name}`;
  const run = sudoRun;
  const fresh = [run(`remove an older copy of ${name}`, ['rm', '-rf', '--', dest])];
  if (/\.(tgz|tar\.gz)$/.test(source))
    return [...fresh, run(`extract ${name}`, ['tar', '-xzf', source, '-C', customDir, '--no-same-owner'])];
  if (/\.zip$/.test(source))
    return [...fresh, run(`unzip ${name}`, ['unzip', '-q', '-o', source, '-d', customDir])];
  return [...fresh, run(`copy ${name}`, ['cp', '-R', '--', source, dest])];
}

export const installCustomModules: Step = {
  id: 'install:custom-modules',
  title: 'Install custom modules into htdocs/custom',
  policyRef: 'deploy.phase2.install-modules',
  plan(ctx) {
    const l = layoutOf(ctx);
    const modes = ctx.policy.procedures.fileModes;
    if (ctx.plan.customModules.length === 0) return [];
    return [
      sudoRun('custom directory', ['mkdir', '-p', l.customDir]),
      ...ctx.plan.customModules.flatMap((m) => copyModuleActions(m.name, m.source, l.customDir)),
      ...rootOwnedTree(l.customDir, modes, 'custom modules'),
    ];
  },
};
