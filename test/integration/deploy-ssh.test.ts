import { readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployTarget } from '../helpers/deploy-target.js';
import { prepareSshDeployTarget, type SshDeployTarget } from '../helpers/deploy-target-ssh.js';
import { expectDeployedSiteServing } from '../helpers/deployed-site.js';
import { buildFixtureRelease } from '../helpers/fixture-release/build.js';
import { parse } from 'yaml';

/**
 * The same user's path as deploy-cli.test.ts, with the target reached over SSH: a real sshd on
 * 127.0.0.1, a deploy user with password-less sudo (not root), a known_hosts file. The built CLI
 * installs the fixture release through that connection; the admin then logs in over HTTPS.
 */
let t: DeployTarget;
let target: SshDeployTarget;

beforeAll(async () => {
  target = await prepareSshDeployTarget();
  t = target.t;
}, 240_000);

afterAll(async () => {
  await target?.stop();
});

describe('mokodeploy deploy over SSH, as a deploy user with sudo', () => {
  it('--dry-run over SSH lists the install and generates no secret', () => {
    const r = t.ws.run(['deploy', t.id, '--dry-run'], t.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('install:installer-step2');
    expect(t.secrets().names()).toEqual([]);
  });

  it('installs the release over SSH and records the run; the admin logs in over HTTPS', async () => {
    const r = t.ws.run(['deploy', t.id, '--as', 'tina'], t.env);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    await expectDeployedSiteServing(t);
  }, 600_000);

  it('backs up and rolls back over SSH as the deploy user (every privileged command through sudo)', async () => {
    const backup = t.ws.run(['--json', 'backup', t.id, '--as', 'tina', ...t.engineOptions], t.env);
    expect(backup.code, backup.stderr).toBe(0);
    const record = JSON.parse(t.ws.run(['--json', 'show', t.id]).stdout);
    const { stamp, dir } = record.facts.lastBackup as { stamp: string; dir: string };
    expect(statSync(join(dir, 'SHA256SUMS')).uid).toBe(0); // written by root through sudo, not by the deploy user

    const release = readlinkSync(join(record.plan.target.root, 'current')).replace(/^releases\//, '');
    const rollback = t.ws.run(
      [
        'rollback',
        t.id,
        '--as',
        'tina',
        ...t.engineOptions,
        '--trigger',
        'client-request',
        '--reason',
        'procedure test over SSH',
        '--backup',
        stamp,
        '--to-release',
        release,
      ],
      t.env,
    );
    expect(rollback.code, `${rollback.stdout}\n${rollback.stderr}`).toBe(0);
    const after = JSON.parse(t.ws.run(['--json', 'show', t.id]).stdout);
    expect(after.state).toBe('rolled-back');
    expect(after.facts.lastRollback).toMatchObject({ backup: stamp, verified: { login: true } });
    // issue 25: the dump taken just before the restore, kept in the backup root by root through sudo
    const evidence = after.facts.lastRollback.evidence as { dir: string; database: string };
    expect(statSync(evidence.database).uid).toBe(0);
    expect(readFileSync(evidence.database, 'utf8')).toContain('CREATE TABLE `llx_societe`');
    const login = await t.login();
    expect(login.ok, login.reason).toBe(true);
  }, 600_000);

  it('upgrades over SSH as the deploy user: `deploy` of an upgrade plan for the same target', async () => {
    const next = buildFixtureRelease({ version: '21.0.1' }, join(t.ws.dir, 'next'));
    const plan = parse(readFileSync(join(t.ws.dir, 'plan.yaml'), 'utf8')) as Record<string, unknown>;
    const id = 'acme-2026-12-up';
    t.ws.writePlan('upgrade.yaml', {
      ...plan,
      id,
      kind: 'upgrade',
      dolibarr: { version: '21.0.1', release: next.tarball, sha256: next.sha256, upgradeFrom: '20.0.2' },
    } as never);
    for (const args of [
      ['plan', 'submit', 'upgrade.yaml', '--as', 'tina'],
      ['approve', id, '--as', 'dave'],
      ['backup', id, '--as', 'tina', ...t.engineOptions],
      ['rehearse', id, '--as', 'tina', ...t.engineOptions], // on a throwaway copy beside production
      ['ready', id, '--as', 'tina'],
      ['schedule', id, '--as', 'dave', '--client-approved-by', 'Jane Client'],
      ['deploy', id, '--as', 'tina', ...t.engineOptions],
    ]) {
      const r = t.ws.run(args, t.env);
      expect(r.code, `${args.join(' ')}: ${r.stdout}\n${r.stderr}`).toBe(0);
    }
    const record = JSON.parse(t.ws.run(['--json', 'show', id]).stdout);
    expect(record.runs.at(-1)).toMatchObject({ outcome: 'succeeded' });
    expect(record.facts.release).toMatch(/^21\.0\.1-/);
    expect(readlinkSync(join(record.plan.target.root, 'current'))).toBe(`releases/${record.facts.release}`);
    const login = await t.login();
    expect(login.ok, login.reason).toBe(true);
  }, 600_000);
});
