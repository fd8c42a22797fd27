/**
 * Issue 22 end to end with a real Dolibarr release, through the built CLI, the target reached over a real sshd
 * as the non-root deploy user:
 *   npx tsx scripts/e2e-package.ts --release /work/releases/dolibarr-20.0.2.tgz [--no-deploy]
 * `package` checks the release against its own htdocs/install/filelist-X.Y.Z.xml (refused when it differs, then
 * accepted by a deployment manager's exception), builds the package with a custom module; approve, ready,
 * schedule; `deploy` uploads it, verifies every sha256 on the target and installs from it; the admin logs in;
 * `verify --only installed-files` passes, then reports a file changed on the server. Prints the figures.
 * Needs root and the packages of .ci/install.sh; `npm run build` first. Nothing of the release is kept.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse, stringify } from 'yaml';
import { prepareDeployTarget } from '../test/helpers/deploy-target.js';
import { writeCustomModule } from '../test/helpers/fixture-release/custom-module.js';
import { deployUser, ensureUser, sshTargetOf, startSshd } from '../test/helpers/services/index.js';

const { values } = parseArgs({ options: { release: { type: 'string' }, 'no-deploy': { type: 'boolean' } } });
if (!values.release) throw new Error('--release PATH of a dolibarr-X.Y.Z.tgz');
const version = /dolibarr-(\d+\.\d+\.\d+)\.tgz$/.exec(values.release)?.[1];
if (!version) throw new Error('the release file must be named dolibarr-X.Y.Z.tgz');

const line = (label: string, text: string) => console.log(`${label.padEnd(14)} ${text}`);
const clock = () => {
  const t0 = Date.now();
  return () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
};

ensureUser(deployUser, { sudo: 'nopasswd' });
const sshd = await startSshd({ users: [deployUser] });
const t = await prepareDeployTarget(sshTargetOf(sshd, deployUser));
try {
  const run = (args: string[]) => t.ws.run(args, t.env);
  const must = (args: string[]) => {
    const r = run(args);
    if (r.code !== 0) throw new Error(`${args.join(' ')}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    return r;
  };
  const moduleDir = writeCustomModule(join(t.ws.dir, 'modules'), { name: 'mokotest', className: 'modMokoTest' });
  const planFile = join(t.ws.dir, 'plan.yaml');
  const plan = parse(readFileSync(planFile, 'utf8'));
  plan.dolibarr = { version, release: values.release };
  plan.customModules = [{ name: 'mokotest', source: moduleDir }];
  writeFileSync(planFile, stringify(plan));
  must(['plan', 'revise', t.id, 'plan.yaml', '--as', 'tina']);

  let took = clock();
  const first = run(['--json', 'package', t.id, '--as', 'tina']);
  line('file check', `${took()} exit ${first.code}`);
  const head = first.stderr.split('\n').slice(0, 8).join('\n');
  console.log(head);
  if (first.code !== 0) {
    took = clock();
    must(['package', t.id, '--as', 'dave', '--exception', `e2e: the public ${version} copy differs from its own file list`]);
    line('exception', took());
  }
  took = clock();
  const built = JSON.parse(must(['--json', 'package', t.id, '--as', 'tina']).stdout);
  line('package', `${took()} ${built.hash} ${built.files} files ${(built.bytes / 1048576).toFixed(1)} MiB`);
  const c = built.fileCheck;
  line('file list', `${c.listed} listed: ${c.missing.length} missing, ${c.changed.length} changed, ${c.added.length} added`);
  line('missing', c.missing.slice(0, 6).join(', '));
  line('added', c.added.slice(0, 6).join(', '));
  if (values['no-deploy']) process.exit(0);

  for (const args of [
    ['approve', t.id, '--as', 'dave'],
    ['ready', t.id, '--as', 'tina'],
    ['schedule', t.id, '--as', 'dave', '--client-approved-by', 'Jane Client'],
  ])
    must(args);
  took = clock();
  const deployed = must(['deploy', t.id, '--as', 'tina']);
  line('deploy', `${took()} ${deployed.stdout.trim().split('\n').at(-1)}`);
  console.log(deployed.stderr.split('\n').filter((l) => /upload|package|verified/.test(l)).join('\n'));
  await t.serve();
  const login = await t.login();
  line('login', login.ok ? 'ok' : `FAILED ${login.reason}`);
  const verify = () => t.ws.runAsync(['verify', t.id, '--as', 'quinn', '--only', 'installed-files', ...t.engineOptions.slice(0, 4)], t.env);
  took = clock();
  const clean = await verify();
  line('verify', `${took()} ${clean.stdout.split('\n').filter((l) => /files\./.test(l)).join(' | ')}`);
  const record = JSON.parse(must(['--json', 'show', t.id]).stdout);
  appendFileSync(join(record.plan.target.root, 'current', 'htdocs', 'index.php'), '// changed on the server\n');
  const tampered = await verify();
  line('tampered', tampered.stdout.split('\n').filter((l) => /files\./.test(l)).join(' | '));
} finally {
  await t.stop();
  await sshd.stop().catch(() => {});
}
