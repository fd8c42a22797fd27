import { spawnSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { stringify } from 'yaml';
import type { PlanInput } from '../../src/core/plan.js';

/** The built executable, as a user runs it (npm test builds first). */
export const bin = resolve(import.meta.dirname, '../../bin/mokodeploy.js');

/** The same CLI with a fixed clock (test only: the shipped bin ignores MOKODEPLOY_CLOCK). */
export const clockBin = resolve(import.meta.dirname, 'clock-bin.mjs');

/**
 * The argv that runs the CLI: `MOKODEPLOY_CLOCK` in a test's extra env selects clockBin with that time as its
 * first argument; the variable itself never reaches the process.
 */
export function cliArgv(args: string[], extraEnv: NodeJS.ProcessEnv): { argv: string[]; env: NodeJS.ProcessEnv } {
  const { MOKODEPLOY_CLOCK: clock, ...env } = extraEnv;
  return { argv: clock ? [clockBin, clock, ...args] : [bin, ...args], env };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Workspace {
  dir: string;
  env: NodeJS.ProcessEnv;
  run(args: string[], extraEnv?: NodeJS.ProcessEnv): CliResult;
  runAsync(args: string[], extraEnv?: NodeJS.ProcessEnv): Promise<CliResult>;
  writePlan(name: string, plan: PlanInput | string): string;
  /** Every row of every table: "the store is exactly as before" compares these. */
  dumpStore(): string;
  storePath: string;
}

export const teamYaml = `people:
  - { login: tina, name: Tina Tech, roles: [technical-lead] }
  - { login: dave, name: Dave Manager, roles: [deployment-manager] }
  - { login: dora, name: Dora Manager, roles: [deployment-manager] }
  - { login: carla, name: Carla Success, roles: [client-success-manager] }
  - { login: quinn, name: Quinn QA, roles: [qa] }
`;

/** The people of teamYaml by role, as a plan names them. */
export const teamPeople = {
  'deployment-manager': 'dave',
  'technical-lead': 'tina',
  'client-success-manager': 'carla',
  qa: 'quinn',
};

export function workspace(): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'moko-cli-'));
  writeFileSync(join(dir, 'team.yaml'), teamYaml);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MOKODEPLOY_HOME: join(dir, '.mokodeploy'),
    MOKODEPLOY_AUDIT_KEY_FILE: join(dir, 'audit-signing.pem'),
    NO_COLOR: '1',
  };
  delete env.MOKODEPLOY_AS;
  delete env.MOKODEPLOY_CLOCK;
  const storePath = join(dir, '.mokodeploy', 'mokodeploy.sqlite');
  return {
    dir,
    env,
    storePath,
    run(args, extraEnv = {}) {
      const cli = cliArgv(args, extraEnv);
      const r = spawnSync(process.execPath, cli.argv, {
        cwd: dir,
        env: { ...env, ...cli.env },
        encoding: 'utf8',
      });
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
    runAsync(args, extraEnv = {}) {
      return new Promise((done) => {
        const cli = cliArgv(args, extraEnv);
        const child = spawn(process.execPath, cli.argv, { cwd: dir, env: { ...env, ...cli.env } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
      });
    },
    writePlan(name, plan) {
      const file = join(dir, name);
      writeFileSync(file, typeof plan === 'string' ? plan : stringify(plan));
      return file;
    },
    dumpStore() {
      const db = new Database(storePath, { readonly: true });
      try {
        const tables = (
          db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
            name: string;
          }[]
        ).map((t) => t.name);
        return tables
          .map((t) => `${t}\n${JSON.stringify(db.prepare(`SELECT * FROM ${t}`).all())}`)
          .join('\n');
      } finally {
        db.close();
      }
    },
  };
}
