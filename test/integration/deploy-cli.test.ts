import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../src/core/secret.js';
import { prepareDeployTarget, type DeployTarget } from '../helpers/deploy-target.js';

/**
 * The user's path, end to end: `mokodeploy plan submit … approve … deploy` with the built executable
 * installs the fixture release on the local target (real MariaDB; PHP-FPM and nginx started from the
 * files the deploy wrote), and the admin logs in through the login form over HTTPS.
 */
let t: DeployTarget;

beforeAll(async () => {
  t = await prepareDeployTarget({ host: 'local' });
}, 240_000);

afterAll(async () => {
  await t?.stop();
});

describe('mokodeploy deploy, as a user runs it', () => {
  it('--dry-run lists what would run and changes nothing', () => {
    const r = t.ws.run(['deploy', t.id, '--dry-run'], t.env);
    expect(r.code, r.stderr).toBe(0);
    const steps = r.stdout.split('\n').filter((l) => /^\[\d+\/\d+\] install:/.test(l));
    expect(steps.length).toBeGreaterThan(15);
    expect(r.stdout).toContain('install:database');
    expect(r.stdout).toContain('install:web-site');
    expect(readdirSync(join(t.ws.dir, 'www'))).toEqual([]);
    // a dry run generates no secret
    expect(t.secrets().names()).toEqual([]);
  });

  it('installs the release and records the run; the admin logs in over HTTPS', async () => {
    const r = t.ws.run(['deploy', t.id, '--as', 'tina'], t.env);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const record = JSON.parse(t.ws.run(['--json', 'show', t.id]).stdout);
    expect(record.state).toBe('verifying');
    expect(record.runs.at(-1)).toMatchObject({ outcome: 'succeeded' });
    expect(record.runs.at(-1).durationSeconds).toBeGreaterThan(0);
    await t.serve();
    const login = await t.login();
    expect(login.ok, login.reason).toBe(true);
    expect((await t.login(new Secret('not-the-password'))).ok).toBe(false);
    const metrics = JSON.parse(t.ws.run(['--json', 'metrics']).stdout);
    expect(metrics.deployments[0].durationMinutes).toBeGreaterThan(0);
    // no secret in the audit trail or the record
    const trail = t.ws.run(['audit', 'export']).stdout + JSON.stringify(record);
    const secrets = t.secrets();
    for (const name of secrets.names()) expect(trail).not.toContain(secrets.get(name).reveal());
  }, 600_000);

  it('a second deploy is refused (already verifying) and changes nothing', () => {
    const before = readdirSync(join(t.ws.dir, 'www', 'acme', 'releases'));
    const r = t.ws.run(['deploy', t.id, '--as', 'tina'], t.env);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('is verifying; it cannot move to deploying');
    expect(readdirSync(join(t.ws.dir, 'www', 'acme', 'releases'))).toEqual(before);
  });
});
