import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runValidation } from '../../src/checks/run-validation.js';
import { formatReport } from '../../src/checks/format.js';
import { sshConfigCheck } from '../../src/checks/ssh-config.js';
import { allChecks } from '../../src/checks/index.js';
import type { Plan } from '../../src/core/plan.js';
import { loadPolicy } from '../../src/policy/load.js';
import { deployUser, ensureUser, sshTargetOf, startSshd, type Sshd } from '../helpers/services/index.js';
import { makeTestPlan } from '../helpers/services/plan.js';

/**
 * Issue 25, `validate` over SSH: a refused host key is said once, with a fix naming the real port and host;
 * the SSH checks read the effective configuration (`sshd -T` through sudo) of the sshd that answers on the
 * plan's port, started with its own file, not /etc/ssh/sshd_config.
 */
const policy = loadPolicy();
let strict: Sshd; // PermitRootLogin prohibit-password, PasswordAuthentication no (the helper's defaults)
let loose: Sshd; // PermitRootLogin yes, PasswordAuthentication yes

const planFor = (sshd: Sshd, extra: Partial<Plan['target']> = {}): Plan => {
  const plan = makeTestPlan();
  return { ...plan, target: { ...plan.target, ...sshTargetOf(sshd, deployUser), ...extra } };
};

beforeAll(async () => {
  ensureUser(deployUser, { sudo: 'nopasswd' });
  [strict, loose] = await Promise.all([
    startSshd({ users: [deployUser] }),
    startSshd({ users: [deployUser], config: { PermitRootLogin: 'yes', PasswordAuthentication: 'yes' } }),
  ]);
}, 60_000);
afterAll(() => Promise.all([strict?.stop(), loose?.stop()]));

describe('validate: a refused host key', () => {
  it('is one finding with the fix naming the real port and host; the other checks are skipped', async () => {
    const knownHosts = join(strict.dir, 'known_hosts_empty');
    writeFileSync(knownHosts, '');
    const r = await runValidation({ plan: planFor(strict, { knownHostsFile: knownHosts }) }, { policy });
    expect(r.findings).toHaveLength(1);
    const [f] = r.findings;
    expect(f).toMatchObject({ checkId: 'target.connection', status: 'fail' });
    expect(f!.observed).toMatch(/unknown host key SHA256:/);
    expect(f!.remediation).toContain(`ssh-keyscan -p ${strict.port} 127.0.0.1 >> ${knownHosts}`);
    expect(f!.detail).toBe(`the ${allChecks.length} checks were skipped: they need the server`);
    const text = formatReport(r);
    expect(text.match(/unknown host key/g)).toHaveLength(1);
    expect(r.worst).toBe('fail');
  });
});

describe('validate: the effective sshd configuration of the sshd on the plan port', () => {
  const findings = async (sshd: Sshd) =>
    (await runValidation({ plan: planFor(sshd) }, { policy, checks: [sshConfigCheck] })).findings;

  it('fails root login and passwords on the sshd that allows them (its own -f file, read through sudo)', async () => {
    const f = await findings(loose);
    const root = f.find((x) => x.checkId === 'ssh-config.root-login')!;
    expect(root.status).toBe('fail');
    expect(root.observed).toBe('PermitRootLogin yes');
    expect(root.detail).toContain(`the sshd on port ${loose.port} (pid `);
    expect(root.detail).toContain(`-f ${loose.configPath}`);
    expect(f.find((x) => x.checkId === 'ssh-config.password-auth')!.status).toBe('fail');
  });

  it('passes the sshd that allows neither, whatever /etc/ssh/sshd_config says', async () => {
    const f = await findings(strict);
    expect(f.map((x) => [x.checkId, x.status])).toEqual([
      ['ssh-config.root-login', 'pass'],
      ['ssh-config.password-auth', 'pass'],
    ]);
  });
});
