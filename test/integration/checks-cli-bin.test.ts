import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspace, type Workspace } from '../helpers/cli.js';
import { freePort, startTestEnvironment, type TestEnvironment } from '../helpers/services/index.js';

// The built executable (npm test builds first), as a user runs it.
let env: TestEnvironment;
let ws: Workspace;

beforeAll(async () => {
  env = await startTestEnvironment();
  ws = workspace();
  writeFileSync(join(ws.dir, 'plan.yaml'), stringify(env.plan));
  writeFileSync(join(ws.dir, 'options.yaml'), stringify(env.options));
});
afterAll(() => env?.stop());

describe('mokodeploy validate (executable)', () => {
  it('prints the table and exits 1 when a finding is not passing', async () => {
    const r = await ws.runAsync(['validate', '--plan', 'plan.yaml', '--options', 'options.yaml']);
    expect(r.stdout).toContain('Environment validation of local');
    expect(r.stdout).toMatch(/PASS\s+tls\.chain/);
    expect(r.stdout).not.toContain('\x1b['); // not a TTY: no colour
    expect(r.code).toBe(1); // this machine has no firewall: never reported as passing
  });

  it('--json gives the report; an unreachable target is unknown with the reason, exit 1', async () => {
    const port = await freePort();
    const key = join(ws.dir, 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    writeFileSync(join(ws.dir, 'known_hosts'), '');
    const target = {
      host: '127.0.0.1',
      port,
      user: 'root',
      identityFile: key,
      knownHostsFile: join(ws.dir, 'known_hosts'),
    };
    const plan = { ...env.plan, target: { ...env.plan.target, ...target } };
    writeFileSync(join(ws.dir, 'down.yaml'), stringify(plan));
    const r = await ws.runAsync(['validate', '--plan', 'down.yaml', '--json']);
    const report = JSON.parse(r.stdout);
    expect(report.target).toBe(`root@127.0.0.1:${port}`);
    const php = report.findings.find((f: { checkId: string }) => f.checkId === 'php-version');
    expect(php.status).toBe('unknown');
    expect(php.detail).toBe(`cannot connect to root@127.0.0.1:${port}: connection refused on port ${port}`);
    expect(r.code).toBe(1);
  });

  it('a missing argument is an input error (exit 2)', () => {
    const r = ws.run(['validate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('which deployment?');
  });
});
