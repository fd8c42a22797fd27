import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, readlinkSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { deployUser, ensureUser, sshTargetOf, startSshd, type Sshd } from '../helpers/services/index.js';
import { prepareDeployTarget, type DeployTarget } from '../helpers/deploy-target.js';
import { cliArgv } from '../helpers/cli.js';
import { writeCustomModule } from '../helpers/fixture-release/custom-module.js';
import { openHost } from '../../src/hosts/open.js';
import { planSchema } from '../../src/core/plan.js';
import type { DeploymentRecord } from '../../src/core/record.js';
import { shipPackage } from '../../src/package/ship.js';
import { packagePaths } from '../../src/package/store.js';

/**
 * Issue 22 over a real sshd as the non-root deploy user: the package of the fixture release and a custom module
 * (with an 8 MiB file so the upload is still running when it is killed) is built, approved, uploaded — the first
 * deploy is killed during the upload and the second resumes it —, verified on the target and deployed; shipped
 * again it is not uploaded; a file changed on the target after the deploy is reported by `verify`; a byte
 * changed in the stored package after approval is refused on the target, naming the file.
 */
let t: DeployTarget;
let sshd: Sshd;
const home = () => join(t.ws.dir, '.mokodeploy');
const show = (): DeploymentRecord => JSON.parse(t.ws.run(['--json', 'show', t.id]).stdout);

beforeAll(async () => {
  ensureUser(deployUser, { sudo: 'nopasswd' });
  sshd = await startSshd({ users: [deployUser] });
  t = await prepareDeployTarget(sshTargetOf(sshd, deployUser));
  const moduleDir = writeCustomModule(join(t.ws.dir, 'modules'), { name: 'mokotest', className: 'modMokoTest' });
  // the kill comes at the first progress line (1 MiB; the staging file then holds less: SFTP writes trail the
  // counter), leaving 7 MiB to go; 48 MiB took ~33 s of this file's time in uploads (the last test uploads it again)
  writeFileSync(join(moduleDir, 'big.bin'), randomBytes(8 * 1024 * 1024));
  const planFile = join(t.ws.dir, 'plan.yaml');
  const plan = parse(readFileSync(planFile, 'utf8'));
  writeFileSync(planFile, stringify({ ...plan, customModules: [{ name: 'mokotest', source: moduleDir }] }));
  for (const args of [
    ['plan', 'revise', t.id, 'plan.yaml', '--as', 'tina'],
    ['package', t.id, '--as', 'tina'],
    ['approve', t.id, '--as', 'dave'],
    ['ready', t.id, '--as', 'tina'],
    ['schedule', t.id, '--as', 'dave', '--client-approved-by', 'Jane Client'],
  ]) {
    const r = t.ws.run(args, t.env);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  }
}, 300_000);

afterAll(async () => {
  await t?.stop();
  await sshd?.stop().catch(() => {});
});

/** Start `deploy` and kill it (SIGKILL) once it reports upload progress past the first MiB. */
function deployKilledDuringUpload(): Promise<string> {
  return new Promise((done) => {
    const cli = cliArgv(['deploy', t.id, '--as', 'tina'], t.env);
    const child = spawn(process.execPath, cli.argv, { cwd: t.ws.dir, env: { ...t.ws.env, ...cli.env } });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const pct = /upload (\d+)%/.exec(err)?.[1];
      if (pct !== undefined && Number(pct) < 100 && /upload \d+% \((?!0\.0\/)/.test(err)) child.kill('SIGKILL');
    });
    child.on('close', () => done(err));
  });
}

describe('the deployment package over SSH, as a deploy user with sudo', () => {
  it('a deploy killed during the upload resumes it on the next run, verifies the package and installs from it', async () => {
    const killed = await deployKilledDuringUpload();
    expect(killed).toMatch(/upload \d+%/);
    expect(killed).not.toContain('upload 100%');
    expect(show().state).toBe('scheduled'); // killed before the run started: nothing recorded

    const r = t.ws.run(['deploy', t.id, '--as', 'tina'], t.env);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stderr).toMatch(/upload resumed from [1-9]\d* of \d+ bytes/);
    expect(r.stderr).toMatch(/files verified by sha256/);
    const record = show();
    expect(record.state).toBe('verifying');
    const root = record.plan.target.root;
    const dir = join(root, 'packages', record.package!.hash);
    expect(readFileSync(join(dir, '.verified'), 'utf8').trim()).toBe(record.package!.hash);
    // what runs is the package's: the release extracted from it, the module copied from it
    const release = join(root, readlinkSync(join(root, 'current')));
    expect(readFileSync(join(release, 'htdocs/custom/mokotest/big.bin')).equals(readFileSync(join(dir, 'modules/mokotest/big.bin')))).toBe(true);
    expect(existsSync(join(release, 'htdocs/install/filelist-20.0.2.xml'))).toBe(true);
  }, 600_000);

  it('shipped again, the same package is not uploaded, only checked', async () => {
    const record = show();
    const host = openHost(planSchema.parse(record.plan).target);
    const notes: string[] = [];
    try {
      const shipped = await shipPackage(host, record, { home: home(), note: (n) => notes.push(n) });
      expect(shipped.uploaded).toBe(false);
      expect(notes.join('\n')).toContain('already on');
    } finally {
      await host.close();
    }
  }, 120_000);

  it('a file changed on the target after the deploy is reported by verify', async () => {
    const root = show().plan.target.root;
    const htdocs = join(root, 'current', 'htdocs');
    const verify = () =>
      t.ws.runAsync(['verify', t.id, '--as', 'quinn', '--only', 'installed-files', ...t.engineOptions.slice(0, 4)], t.env);
    const clean = await verify();
    expect(clean.stdout, clean.stderr).toMatch(/ok\s+files\.release\s+\d+ release files match/);
    expect(clean.stdout).toMatch(/ok\s+files\.module\.mokotest/);

    appendFileSync(join(htdocs, 'index.php'), '// changed on the server\n');
    appendFileSync(join(htdocs, 'custom', 'mokotest', 'README.md'), 'edited\n');
    writeFileSync(join(htdocs, 'shell.php'), '<?php\n');
    const r = await verify();
    expect(r.stdout).toMatch(/files\.release.*changed htdocs\/index\.php/);
    expect(r.stdout).toMatch(/files\.release.*added htdocs\/shell\.php/);
    expect(r.stdout).toMatch(/files\.module\.mokotest.*changed README\.md/);
    expect(r.code).not.toBe(0);
  }, 180_000);

  it('a byte changed in the stored package (release and module) after approval is refused on the target, naming each file', async () => {
    const record = show();
    const tar = packagePaths(home(), t.id).tar(record.package!.hash);
    const bytes = readFileSync(tar);
    const at = bytes.indexOf(Buffer.from('Test module for mokodeploy.'));
    expect(at).toBeGreaterThan(0);
    bytes[at] = 't'.charCodeAt(0); // same size, one byte
    // and one byte of the release tarball: 100 bytes into its content, after its 512-byte tar header
    const header = bytes.indexOf(Buffer.from('./release/dolibarr-20.0.2.tgz\0'));
    expect(header).toBeGreaterThanOrEqual(0);
    const i = header + 512 + 100;
    bytes[i] = (bytes[i] ?? 0) ^ 0xff;
    writeFileSync(tar, bytes);
    const host = openHost(planSchema.parse(record.plan).target);
    try {
      // the target's copy is gone, so the tampered tar is uploaded and checked there
      await host.run({ sudo: true, argv: ['rm', '-rf', '--', join(record.plan.target.root, 'packages')] });
      const failed = await shipPackage(host, record, { home: home() }).then(
        () => undefined,
        (e: Error & { details?: string[] }) => e,
      );
      expect(failed?.message).toContain('is not the approved one');
      expect(failed?.details?.join('\n')).toContain('modules/mokotest/README.md: sha256 differs from the approved manifest');
      expect(failed?.details?.join('\n')).toContain('release/dolibarr-20.0.2.tgz: sha256 differs from the approved manifest');
    } finally {
      await host.close();
    }
  }, 180_000);
});
