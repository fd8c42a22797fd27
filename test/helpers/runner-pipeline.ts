import type { Host } from '../../src/hosts/host.js';
import { Secret } from '../../src/core/secret.js';
import type { Step, StepContext } from '../../src/steps/step.js';
import { loadPolicy } from '../../src/policy/load.js';
import { makeTestPlan } from './services/plan.js';

/**
 * A small pipeline of six idempotent steps under `<root>/app`, shaped like a real deployment
 * (dirs, release, secret config, symlink switch, marker): the runner tests' subject.
 */
export const demoPassword = new Secret('demo-password-5f3a9c1e');

export function demoContext(root: string, stamp: string): StepContext {
  const plan = makeTestPlan({ target: { host: 'local', root: `${root}/app` } });
  return { plan, policy: loadPolicy(), facts: { stamp }, outputs: {} };
}

const app = (ctx: StepContext) => ctx.plan.target.root;
const release = (ctx: StepContext) => `${app(ctx)}/${String(ctx.outputs.releaseDir)}`;

export function demoPipeline(opts: { slowMs?: number } = {}): Step[] {
  return [
    {
      id: 'demo:prepare',
      title: 'Create the directory layout',
      policyRef: 'test',
      plan: (ctx) => [
        run('create dirs', [
          'mkdir',
          '-p',
          `${app(ctx)}/releases`,
          `${app(ctx)}/shared/conf`,
          `${app(ctx)}/data`,
        ]),
        run('restrict data', ['chmod', '0750', `${app(ctx)}/data`]),
      ],
    },
    {
      id: 'demo:release',
      title: 'Unpack the release',
      policyRef: 'test',
      plan: (ctx) => {
        ctx.outputs.releaseDir = `releases/1.0.0-${String(ctx.facts.stamp)}`;
        return [
          run('create release dir', ['mkdir', '-p', `${release(ctx)}/htdocs`]),
          write('index', `${release(ctx)}/htdocs/index.php`, '<?php echo "hello";\n', 0o644),
          write('version', `${release(ctx)}/VERSION`, '1.0.0\n', 0o444),
        ];
      },
    },
    {
      id: 'demo:config',
      title: 'Write conf.php',
      policyRef: 'test',
      plan: (ctx) => [
        {
          kind: 'write',
          description: 'conf.php',
          file: {
            path: `${app(ctx)}/shared/conf/conf.php`,
            content: new Secret(`<?php $dolibarr_main_db_pass='${demoPassword.reveal()}';\n`),
            mode: 0o440,
          },
        },
      ],
    },
    {
      id: 'demo:link-config',
      title: 'Link the config into the release',
      policyRef: 'test',
      plan: (ctx) => [
        run('wait', ['sleep', String((opts.slowMs ?? 300) / 1000)]),
        run('link conf', ['ln', '-sfn', '../../../shared/conf/conf.php', `${release(ctx)}/htdocs/conf.php`]),
      ],
    },
    {
      id: 'demo:switch',
      title: 'Switch current to the new release',
      policyRef: 'test',
      plan: (ctx) => [
        run('link', ['ln', '-sfn', String(ctx.outputs.releaseDir), `${app(ctx)}/current.new`]),
        run('switch', ['mv', '-T', `${app(ctx)}/current.new`, `${app(ctx)}/current`]),
      ],
    },
    {
      id: 'demo:marker',
      title: 'Mark as installed',
      policyRef: 'test',
      plan: (ctx) => [write('marker', `${app(ctx)}/data/installed.lock`, 'installed\n', 0o400)],
      isDone: async (ctx: StepContext, host: Host) =>
        (await host.run({ argv: ['test', '-f', `${app(ctx)}/data/installed.lock`] })).code === 0,
    },
  ];
}

function run(description: string, argv: string[]) {
  return { kind: 'run' as const, description, command: { argv } };
}

function write(description: string, path: string, content: string, mode: number) {
  return { kind: 'write' as const, description, file: { path, content, mode } };
}
