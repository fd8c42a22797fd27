import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployUser, ensureUser, sshTargetOf, startSshd, type Sshd } from '../helpers/services/index.js';
import { prepareDeployTarget, type DeployTarget } from '../helpers/deploy-target.js';

/**
 * The same user's path as deploy-cli.test.ts, with the target reached over SSH: a real sshd on
 * 127.0.0.1, a deploy user with password-less sudo (not root), a known_hosts file. The built CLI
 * installs the fixture release through that connection; the admin then logs in over HTTPS.
 */
let t: DeployTarget;
let sshd: Sshd;

beforeAll(async () => {
  ensureUser(deployUser, { sudo: 'nopasswd' });
  sshd = await startSshd({ users: [deployUser] });
  t = await prepareDeployTarget(sshTargetOf(sshd, deployUser));
}, 240_000);

afterAll(async () => {
  await t?.stop();
  await sshd?.stop().catch(() => {});
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
    const record = JSON.parse(t.ws.run(['--json', 'show', t.id]).stdout);
    expect(record.state).toBe('verifying');
    expect(record.runs.at(-1)).toMatchObject({ outcome: 'succeeded' });
    await t.serve();
    const login = await t.login();
    expect(login.ok, login.reason).toBe(true);
  }, 600_000);
});
