import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchorFileFor } from '../../src/audit/anchor.js';
import { readOrCreateAuditSigner } from '../../src/audit/signing-key.js';
import { loginThroughForm } from '../../src/dolibarr/login-form.js';
import type { DeploymentRecord } from '../../src/core/record.js';
import { SecretStore } from '../../src/store/secrets.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { buildFixtureRelease } from '../helpers/fixture-release/build.js';
import { workspace, type Workspace } from '../helpers/cli.js';
import { caOf, startInstallStack, type InstallStack } from '../helpers/install-stack/index.js';
import { act } from '../helpers/records.js';
import { recordPlan, verifyingRecord } from '../helpers/verify/record.js';

/**
 * Policy "Rollback Procedures / When to Rollback" through `verify` (issue 6): the fixture 19.0.4 site upgraded to
 * 20.0.2 with the built CLI (backup, upgrade), then the new release broken for real (its home page answers 500).
 * Without rollbackOnCriticalFailure `verify` only offers the rollback; with it `verify` performs it: `current` back on
 * the 19.0.4 release, the admin logs in again, the record shows the rollback with its trigger.
 */
let stack: InstallStack;
let ws: Workspace;
let env: NodeJS.ProcessEnv;
let site: string[];
let releases: string;
const now = new Date();
const upgraded = 'acme-vrb';
const automatic = 'acme-vrb-auto';

const current = () => readlinkSync(join(stack.plan.target.root, 'current'));

async function record(id: string): Promise<DeploymentRecord> {
  const s = new SqliteStore(ws.storePath);
  try {
    return (await s.get(id))!.record;
  } finally {
    await s.close();
  }
}

async function cli(args: string[], code = 0) {
  const r = await ws.runAsync(args, env);
  expect(r.code, `${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(code);
  return r;
}

beforeAll(async () => {
  ws = workspace();
  const old = buildFixtureRelease({ version: '19.0.4' }, join(ws.dir, 'old'));
  const next = buildFixtureRelease({ version: '20.0.2' }, join(ws.dir, 'new'));
  stack = await startInstallStack({ release: old.tarball, version: old.version, sha256: old.sha256 });
  releases = join(stack.plan.target.root, 'releases');
  env = { MOKODEPLOY_SECRET_KEY_FILE: join(ws.dir, 'secret.key') };
  const secrets = new SecretStore(join(ws.dir, '.mokodeploy'), env.MOKODEPLOY_SECRET_KEY_FILE!);
  for (const name of ['acme/db', 'acme/admin']) secrets.set(name, stack.secrets.secret(name));
  const window = {
    start: new Date(now.getTime() - 3_600_000).toISOString(),
    end: new Date(now.getTime() + 3 * 3_600_000).toISOString(),
    timezone: 'UTC',
  };
  ws.writePlan('plan.yaml', {
    ...JSON.parse(JSON.stringify(stack.plan)),
    id: upgraded,
    kind: 'upgrade',
    environment: 'staging',
    dolibarr: { version: next.version, release: next.tarball, sha256: next.sha256, upgradeFrom: '19.0.4' },
    people: {
      'deployment-manager': 'dave',
      'technical-lead': 'tina',
      'client-success-manager': 'carla',
      qa: 'quinn',
    },
    window,
  });
  site = ['--address', '127.0.0.1', '--fpm-pid', join(stack.dir, 'fpm', 'php-fpm.pid')];
  const engine = [...site, '--ca-file', stack.cert.caPath];
  await cli(['plan', 'submit', join(ws.dir, 'plan.yaml'), '--as', 'tina']);
  await cli(['approve', upgraded, '--as', 'dave']);
  await cli(['backup', upgraded, '--as', 'tina', ...engine]);
  await cli(['ready', upgraded, '--as', 'tina']);
  await cli(['schedule', upgraded, '--as', 'dave', '--client-approved-by', 'Jane Client']);
  await cli(['upgrade', upgraded, '--as', 'tina', ...engine]);
  // the same site under a second record whose plan says roll back on a critical failure, with the facts the
  // upgrade command recorded (which release it left, which backup it took)
  const first = await record(upgraded);
  const plan = recordPlan({ ...first.plan, rollbackOnCriticalFailure: true }, { id: automatic }, now);
  const auto = act(verifyingRecord(plan, now), 'record-facts', first.facts, 'tina', now);
  // signed with the workspace's audit key, as the CLI signs (the store checks every record against its trail)
  const keyFile = ws.env.MOKODEPLOY_AUDIT_KEY_FILE!;
  const s = new SqliteStore(ws.storePath, {
    signer: readOrCreateAuditSigner(keyFile),
    anchorFile: anchorFileFor(ws.storePath, keyFile),
  });
  await s.create({
    record: auto,
    audit: {
      // the trail's time never goes backwards: the CLI steps above wrote entries after `now`
      at: new Date().toISOString(),
      actor: 'tina',
      role: 'technical-lead',
      action: 'create',
      deploymentId: automatic,
      summary: 'test record',
      before: null,
      after: null,
    },
  });
  await s.close();
  // break the new release for real: its home page (and so the login) answers HTTP 500
  const index = join(stack.plan.target.root, 'current', 'htdocs', 'index.php');
  writeFileSync(index, "<?php\nhttp_response_code(500);\nprint 'broken by the test';\n");
  await new Promise((r) => setTimeout(r, 2500)); // OPcache revalidates after revalidate_freq (2 s)
}, 420_000);

afterAll(async () => {
  await stack?.stop();
  execFileSync('rm', ['-rf', ws?.dir ?? '/nonexistent']);
});

const verify = (id: string) =>
  cli(['verify', id, '--as', 'tina', ...site, '--ca', stack.cert.caPath, '--only', 'login-http'], 1);

describe('verify answers a critical failure inside the deployment window', () => {
  it('only offers the rollback when the plan does not say to perform it', async () => {
    const before = current();
    expect(before).toMatch(/20\.0\.2-/);
    const r = await verify(upgraded);
    expect(r.stdout).toMatch(/verify\.login failed/);
    expect(r.stdout).toMatch(
      new RegExp(
        `the policy says roll back: mokodeploy rollback ${upgraded} --trigger critical-functionality`,
      ),
    );
    const rec = await record(upgraded);
    expect(rec.state).toBe('awaiting-signoff');
    expect(rec.rollbacks).toHaveLength(0);
    expect(current()).toBe(before);
  }, 180_000);

  it('performs the rollback when the plan says so: the previous release serves again, recorded with its trigger', async () => {
    const r = await verify(automatic);
    expect(r.stdout).toMatch(
      /critical failure: rolled back to 19\.0\.4-\S+ with backup \d{14} in \d+ s \(login verified\)/,
    );
    expect(current()).toMatch(/19\.0\.4-/);
    expect(
      readFileSync(join(stack.plan.target.root, 'current', 'htdocs', 'filefunc.inc.php'), 'utf8'),
    ).toContain("'19.0.4'");
    const bad = readdirNames(releases).find((n) => n.startsWith('20.0.2-'))!;
    expect(existsSync(join(releases, bad, '.mokodeploy-bad'))).toBe(true);
    const login = await loginThroughForm({
      url: stack.plan.site.url,
      login: 'admin',
      password: stack.secrets.secret('acme/admin'),
      address: '127.0.0.1',
      ca: caOf(stack),
    });
    expect(login.ok, login.reason).toBe(true);
    const rec = await record(automatic);
    expect(rec.state).toBe('rolled-back');
    expect(rec.rollbacks).toHaveLength(1);
    expect(rec.rollbacks[0]).toMatchObject({
      trigger: 'critical-functionality',
      fromState: 'awaiting-signoff',
    });
    expect(rec.rollbacks[0]!.reason).toMatch(
      /^automatic: verification: verify\.login failed .*; rolled back to 19\.0\.4-/,
    );
    expect(rec.facts.lastRollback).toMatchObject({ automatic: true, ok: true, verified: { login: true } });
  }, 240_000);
});

function readdirNames(dir: string): string[] {
  return execFileSync('ls', ['-1', dir], { encoding: 'utf8' }).split('\n').filter(Boolean);
}
