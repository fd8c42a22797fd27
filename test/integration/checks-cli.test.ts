import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Command } from 'commander';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type AppContext } from '../../src/app/context.js';
import { planCommands } from '../../src/cli/commands/plan.js';
import { validateCommands } from '../../src/cli/commands/validate.js';
import { teamYaml } from '../helpers/cli.js';
import { startTestEnvironment, type TestEnvironment } from '../helpers/services/index.js';

let env: TestEnvironment;
let dir: string;
let planFile: string;
let optionsFile: string;

/** The validate command registered on a program as main.ts does (in-process, to read the store after). */
async function cli(args: string[], json = false): Promise<{ code: number; stdout: string; app: AppContext }> {
  let stdout = '';
  const sink = new Writable({ write: (c, _e, cb) => ((stdout += String(c)), cb()) });
  const program = new Command('mokodeploy').exitOverride();
  const app = createApp({
    home: join(dir, '.mokodeploy'),
    json,
    stdout: sink,
    stderr: sink,
    env: { ...process.env, MOKODEPLOY_TEAM: join(dir, 'team.yaml') },
  });
  planCommands.register(program, () => app);
  validateCommands.register(program, () => app);
  process.exitCode = undefined;
  await program.parseAsync(['node', 'mokodeploy', ...args]);
  const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  process.exitCode = undefined;
  return { code, stdout, app };
}

beforeAll(async () => {
  env = await startTestEnvironment();
  dir = mkdtempSync(join(tmpdir(), 'moko-validate-cli-'));
  writeFileSync(join(dir, 'team.yaml'), teamYaml);
  planFile = join(dir, 'plan.yaml');
  const people = {
    'technical-lead': 'tina',
    'deployment-manager': 'dave',
    'client-success-manager': 'carla',
    qa: 'quinn',
  };
  writeFileSync(planFile, stringify({ ...env.plan, id: 'acme-2026-12', people }));
  optionsFile = join(dir, 'options.json');
  writeFileSync(optionsFile, JSON.stringify(env.options));
});
afterAll(() => env?.stop());

describe('mokodeploy validate', () => {
  it('--plan FILE --json prints the report and exits by the worst finding', async () => {
    const r = await cli(['validate', '--plan', planFile, '--options', optionsFile], true);
    const report = JSON.parse(r.stdout);
    expect(report.findings.find((f: { checkId: string }) => f.checkId === 'php-version').status).toBe('pass');
    expect(report.target).toBe('local');
    // no firewall on this machine: fail or unknown, never a pass, so the exit code is 1
    expect(report.worst).not.toBe('pass');
    expect(r.code).toBe(1);
  });

  it('--plan A B --concurrency 2 validates several targets, a JSON array in the given order', async () => {
    const down = join(dir, 'down.yaml');
    writeFileSync(
      down,
      stringify({
        ...env.plan,
        id: 'acme-down',
        target: { ...env.plan.target, host: '127.0.0.1', port: 1, user: 'root', identityFile: '/dev/null' },
      }),
    );
    const r = await cli(
      ['validate', '--plan', planFile, down, '--concurrency', '2', '--options', optionsFile],
      true,
    );
    const reports = JSON.parse(r.stdout) as { target: string; worst: string }[];
    expect(reports.map((x) => x.target)).toEqual(['local', 'root@127.0.0.1:1']);
    expect(reports[1]!.worst).toBe('unknown');
    expect(r.code).toBe(1);
  });

  it('<id> attaches the report to the deployment record', async () => {
    await cli(['plan', 'submit', planFile, '--as', 'tina']);
    const r = await cli(['validate', 'acme-2026-12', '--as', 'tina', '--options', optionsFile]);
    expect(r.stdout).toContain('Environment validation of local');
    expect(r.stdout).toMatch(/PASS\s+database-version/);
    const found = await (await r.app.store()).get('acme-2026-12');
    expect(found!.record.validations).toHaveLength(1);
    expect(found!.record.validations[0]!.findings.length).toBeGreaterThan(20);
    expect(found!.record.checklist['environment-confirmed']?.ticked ?? false).toBe(false); // worst is not pass
    await r.app.close();
  });

  it('refuses a person without the validation role', async () => {
    await expect(
      cli(['validate', 'acme-2026-12', '--as', 'carla', '--options', optionsFile]),
    ).rejects.toMatchObject({ kind: 'refused' });
  });
});
