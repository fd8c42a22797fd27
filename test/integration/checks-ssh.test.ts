import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runValidation } from '../../src/checks/run-validation.js';
import type { ValidationReport } from '../../src/checks/finding.js';
import type { Command, Host } from '../../src/hosts/host.js';
import { SshHost } from '../../src/hosts/ssh.js';
import type { Plan } from '../../src/core/plan.js';
import { loadPolicy } from '../../src/policy/load.js';
import {
  deployUser,
  ensureUser,
  freePort,
  sshTargetOf,
  startSshd,
  startTestEnvironment,
  type Sshd,
  type TestEnvironment,
} from '../helpers/services/index.js';

const policy = loadPolicy();
const sudoUser = 'mokosudo';
let env: TestEnvironment;
let sshd: Sshd;
let other: Sshd;

const sshPlan = (target: Partial<Plan['target']> = {}): Plan => ({
  ...env.plan,
  target: {
    ...env.plan.target,
    ...sshTargetOf(sshd, deployUser),
    ...target,
  },
});
const validate = (plan: Plan) => runValidation({ plan, options: env.options }, { policy });
const statuses = (r: ValidationReport) => Object.fromEntries(r.findings.map((f) => [f.checkId, f.status]));
const hostChecks = [
  'php-version',
  'database-version',
  'webserver-version',
  'disk',
  'memory',
  'ssh-config',
  'permissions',
  'backups',
];

beforeAll(async () => {
  ensureUser(deployUser, { sudo: 'nopasswd' });
  ensureUser(sudoUser, { sudo: 'password' });
  [env, sshd, other] = await Promise.all([
    startTestEnvironment(),
    startSshd({ users: [deployUser, sudoUser] }),
    startSshd(),
  ]);
});
afterAll(() => Promise.all([env?.stop(), sshd?.stop(), other?.stop()]));

describe('validation over SSH', () => {
  it('gives the same verdicts as a local run of the same machine', async () => {
    const [local, remote] = [
      await runValidation({ plan: env.plan, options: env.options }, { policy }),
      await validate(sshPlan()),
    ];
    expect(remote.target).toBe(`${deployUser}@127.0.0.1:${sshd.port}`);
    expect(statuses(remote)).toEqual(statuses(local));
    expect(remote.findings.find((f) => f.checkId === 'tls.key')?.status).toBe('pass'); // key read through sudo
    expect(remote.findings.find((f) => f.checkId === 'database-version')?.observed).toContain('MariaDB');
  });

  it('says unknown, with the reason, when sudo asks for a password', async () => {
    const r = await validate(sshPlan({ user: sudoUser }));
    for (const id of [
      'database-version',
      'ssh-config.root-login',
      'webserver-config',
      'permissions.conf-php',
    ]) {
      const f = r.findings.find((x) => x.checkId === id)!;
      expect(f.status, id).toBe('unknown');
      expect(f.detail, id).toContain('sudo asks for a password');
    }
    expect(r.worst).not.toBe('pass');
  });
});

describe('one remote execution per privilege level', () => {
  /** The real SSH host, recording each command it is asked to run. */
  const recordingHost = (runs: Command[]): Host & { close(): Promise<void> } => {
    const host = new SshHost(sshTargetOf(sshd, deployUser));
    return {
      name: host.name,
      connect: () => host.connect(),
      run: (c) => (runs.push(c), host.run(c)),
      readFile: (p) => host.readFile(p),
      writeFile: (f) => host.writeFile(f),
      close: () => host.close(),
    };
  };

  it('asks the target twice (one sudo), not once per probe, with the same verdicts', async () => {
    const runs: Command[] = [];
    const host = recordingHost(runs);
    try {
      const r = await runValidation({ plan: sshPlan(), options: env.options, host }, { policy });
      expect(runs.map((c) => `${c.sudo ? 'sudo ' : ''}${c.argv.join(' ')}`).sort()).toEqual([
        'sh -s',
        'sudo sh -s',
      ]);
      expect(statuses(r)).toEqual(statuses(await validate(sshPlan())));
      expect(r.findings.filter((f) => f.status === 'unknown')).toEqual([]);
    } finally {
      await host.close();
    }
  });

  it('a probe that hangs is unknown after its own timeout; the rest of its batch still answers', async () => {
    const hang = `/tmp/moko-hang-${process.pid}.sh`; // readable by the deploy user
    writeFileSync(hang, '#!/bin/sh\nsleep 60\n', { mode: 0o755 });
    try {
      const started = Date.now();
      const r = await runValidation(
        { plan: sshPlan(), options: { ...env.options, phpBinary: hang, commandTimeoutMs: 6_000 } },
        { policy },
      );
      expect(Date.now() - started).toBeLessThan(20_000);
      const byId = (id: string) => r.findings.find((f) => f.checkId === id)!;
      for (const id of ['php-version', 'php-extensions', 'php-memory-limit']) {
        expect(byId(id).status, id).toBe('unknown');
        expect(byId(id).detail, id).toContain('did not finish within 6 s');
      }
      // same unprivileged batch as php-cli, and the sudo batch beside it
      for (const id of ['php-version.fpm', 'memory', 'database-version', 'ssh-config.root-login'])
        expect(byId(id).status, id).toBe('pass');
    } finally {
      rmSync(hang, { force: true });
    }
  });
});

describe('validation of a target it cannot reach says why, and never passes host checks', () => {
  const expectAllHostChecksUnknown = (r: ValidationReport, reason: RegExp) => {
    for (const f of r.findings.filter((x) =>
      hostChecks.some((h) => x.checkId === h || x.checkId.startsWith(`${h}.`)),
    )) {
      expect(f.status, f.checkId).toBe('unknown');
      expect(f.detail, f.checkId).toMatch(reason);
    }
    expect(r.worst === 'unknown' || r.worst === 'fail').toBe(true);
  };

  it('a closed SSH port', async () => {
    const r = await validate(sshPlan({ port: await freePort() }));
    expectAllHostChecksUnknown(r, /connection refused/);
  });

  it('a changed host key', async () => {
    const knownHosts = join(env.dir, 'known_hosts_changed');
    writeFileSync(
      knownHosts,
      `[127.0.0.1]:${sshd.port} ${other.hostKeyPublic.split(' ').slice(0, 2).join(' ')}\n`,
    );
    const r = await validate(sshPlan({ knownHostsFile: knownHosts }));
    expectAllHostChecksUnknown(r, /HOST KEY CHANGED/);
  });

  it('an unknown host key', async () => {
    const knownHosts = join(env.dir, 'known_hosts_empty');
    writeFileSync(knownHosts, '');
    expectAllHostChecksUnknown(
      await validate(sshPlan({ knownHostsFile: knownHosts })),
      /unknown host key SHA256:/,
    );
  });

  it('a key the server does not accept', async () => {
    expectAllHostChecksUnknown(
      await validate(sshPlan({ identityFile: other.clientKeyPath })),
      /authentication refused/,
    );
  });
});
