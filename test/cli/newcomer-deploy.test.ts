import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bin } from '../helpers/cli.js';
import { prepareDeployTarget, type DeployTarget } from '../helpers/deploy-target.js';

// real MariaDB, PHP and the built executable on a shared 2-core machine: generous time, no retry
vi.setConfig({ testTimeout: 900_000, hookTimeout: 300_000 });

/**
 * Issue 14 points 1, 4 and 8, as the new user met them with the real executable: a refused pre-flight
 * leaves the record as it was; a dead run is aborted by a deployment manager; the config directories the
 * plan names are created; generated secrets are announced, audited and readable by the right people only.
 */
let t: DeployTarget;
const audit = () =>
  t.ws
    .run(['audit', 'export'])
    .stdout.trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { action: string; actor: string; summary: string });
const state = () => (JSON.parse(t.ws.run(['--json', 'show', t.id]).stdout) as { state: string }).state;
const ok = (args: string[]) => {
  const r = t.ws.run(args, t.env);
  expect(r.code, `${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r;
};
/** Revise the plan file's sha256, and walk it back to scheduled. */
const reviseSha = (sha: string) => {
  const file = join(t.ws.dir, 'plan.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/sha256: \S+/, `sha256: "${sha}"`));
  ok(['plan', 'revise', t.id, 'plan.yaml', '--as', 'tina']);
  ok(['approve', t.id, '--as', 'dave']);
  ok(['ready', t.id, '--as', 'tina']);
  ok(['schedule', t.id, '--as', 'dave', '--client-approved-by', 'Jane Client']);
};
let rightSha: string;
const configDirs = ['cron.d', 'pool.d', 'sites'];

beforeAll(async () => {
  t = await prepareDeployTarget({ host: 'local' });
  rightSha = /sha256: "?([0-9a-f]+)/.exec(readFileSync(join(t.ws.dir, 'plan.yaml'), 'utf8'))![1]!;
  // nobody pre-created the directories the plan names for our config files
  for (const d of configDirs) rmSync(join(t.ws.dir, d), { recursive: true, force: true });
});

afterAll(async () => {
  await t?.stop();
});

describe('newcomer: deploy through the CLI', { retry: 0 }, () => {
  it('a release whose sha256 differs is refused before the record moves; revise then works (point 1)', () => {
    reviseSha('0'.repeat(64));
    const before = audit().length;
    const r = t.ws.run(['deploy', t.id, '--as', 'tina'], t.env);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/sha256 is [0-9a-f]{64}, the plan says 0{64}/);
    expect(state()).toBe('scheduled');
    expect(readdirSync(join(t.ws.dir, 'www'))).toEqual([]);
    expect(t.secrets().names()).toEqual([]); // nothing generated for a refused run
    expect(
      audit()
        .slice(before)
        .map((e) => e.action),
    ).not.toContain('start-run');
    expect(existsSync(join(t.ws.dir, '.mokodeploy', 'journals', `${t.id}.jsonl`))).toBe(false);
    // nothing to abort, and the fix the message suggests is possible: revise the plan
    expect(t.ws.run(['abort', t.id, '--as', 'dave', '--reason', 'x'], t.env).stderr).toContain(
      'only a deploying record has a run to abort',
    );
    reviseSha(rightSha);
    expect(state()).toBe('scheduled');
  });

  it('--dry-run lists the creation of the missing config directories (point 4)', () => {
    const r = ok(['deploy', t.id, '--dry-run']);
    expect(r.stdout).toContain('install:config-dirs');
    for (const d of configDirs) expect(r.stdout).toContain(join(t.ws.dir, d));
    for (const d of configDirs) expect(existsSync(join(t.ws.dir, d))).toBe(false);
  });

  it('a run killed with -9 is aborted by a deployment manager, then deployed; dirs and secrets as a newcomer needs', async () => {
    const journal = join(t.ws.dir, '.mokodeploy', 'journals', `${t.id}.jsonl`);
    const child = spawn(process.execPath, [bin, 'deploy', t.id, '--as', 'tina'], {
      cwd: t.ws.dir,
      env: { ...t.ws.env, ...t.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise((r) => child.once('close', r));
    for (let i = 0; i < 3000 && !/"step":"install:database"/.test(readIf(journal)); i++)
      await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGKILL');
    await exited;
    expect(state()).toBe('deploying');
    // the secrets were announced by name, never by value, and audited
    for (const name of ['acme/db', 'acme/admin']) {
      expect(stderr).toContain(`generated secret ${name}`);
      expect(stderr).not.toContain(t.secrets().get(name).reveal());
    }
    expect(
      audit()
        .filter((e) => e.action === 'secret-generated')
        .map((e) => e.summary),
    ).toEqual(
      expect.arrayContaining([expect.stringContaining('acme/db'), expect.stringContaining('acme/admin')]),
    );

    // abort: deployment manager only; the dead holder's lock is released
    const tina = t.ws.run(['abort', t.id, '--as', 'tina', '--reason', 'killed'], t.env);
    expect(tina.code).toBe(4);
    expect(tina.stderr).toContain('needs the role deployment-manager');
    const aborted = ok(['abort', t.id, '--as', 'dave', '--reason', 'the terminal was killed']);
    expect(aborted.stdout).toMatch(
      /run aborted \(lock of tina .* released, that process being gone; stopped \d+/,
    );
    expect(state()).toBe('scheduled');
    const record = JSON.parse(t.ws.run(['--json', 'show', t.id]).stdout);
    expect(record.runs.at(-1)).toMatchObject({
      outcome: 'failed',
      note: expect.stringContaining('aborted by dave'),
    });
    expect(audit().at(-1)).toMatchObject({ action: 'abort-run', actor: 'dave' });

    // deploy again: resumes, creates the missing directories root-owned 0755, generates nothing new
    const r = ok(['deploy', t.id, '--as', 'tina']);
    expect(r.stderr).not.toContain('generated secret');
    expect(state()).toBe('verifying');
    for (const d of configDirs) {
      const s = statSync(join(t.ws.dir, d));
      expect(s.isDirectory(), d).toBe(true);
      expect([s.mode & 0o7777, s.uid, s.gid]).toEqual([0o755, 0, 0]);
    }
    expect(readdirSync(join(t.ws.dir, 'cron.d'))).toEqual(['mokocrm-acme']);
    expect(readdirSync(join(t.ws.dir, 'sites'))).toEqual(['mokocrm-acme.conf']);
  });

  it('secret get: the right roles only, to a terminal or a new 0600 file, audited (point 8)', () => {
    const admin = t.secrets().get('acme/admin').reveal();
    const carla = t.ws.run(['secret', 'get', 'acme/admin', '--as', 'carla'], t.env);
    expect(carla.code).toBe(4);
    expect(carla.stdout).not.toContain(admin);
    expect(audit().at(-1)).toMatchObject({ action: 'refused:secret-read', actor: 'carla' });
    // never into a pipe
    const piped = t.ws.run(['secret', 'get', 'acme/admin', '--as', 'tina'], t.env);
    expect(piped.code).toBe(4);
    expect(piped.stdout + piped.stderr).not.toContain(admin);
    // into a new private file
    const out = join(t.ws.dir, 'admin-password');
    ok(['secret', 'get', 'acme/admin', '--as', 'dave', '--out', out]);
    expect(readFileSync(out, 'utf8')).toBe(`${admin}\n`);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(t.ws.run(['secret', 'get', 'acme/admin', '--as', 'dave', '--out', out], t.env).code).toBe(4);
    // on a terminal (script gives the command a pseudo-terminal)
    const cmd = [process.execPath, bin, 'secret', 'get', 'acme/admin', '--as', 'tina']
      .map((a) => `'${a}'`)
      .join(' ');
    const tty = spawnSync('script', ['-qec', cmd, '/dev/null'], {
      cwd: t.ws.dir,
      env: { ...t.ws.env, ...t.env },
      encoding: 'utf8',
    });
    expect(tty.stdout).toContain(admin);
    const reads = audit().filter((e) => e.action === 'secret-read');
    expect(reads.map((e) => e.actor)).toEqual(['dave', 'tina']);
    expect(JSON.stringify(audit())).not.toContain(admin);
    // the new entries (secret-generated, abort-run, secret-read, refusals) keep the signed trail intact
    expect(ok(['audit', 'verify']).stdout).toMatch(/intact/);
  });
});

function readIf(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
