import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../src/core/secret.js';
import { loginThroughForm } from '../../src/dolibarr/login-form.js';
import { SecretStore } from '../../src/store/secrets.js';
import { stopLeftovers } from '../../scripts/demo-services.js';
import { portOpen, waitFor } from '../helpers/services/process.js';

/**
 * `npm run demo -- --no-serve` (scripts/demo.sh), as a newcomer runs it after `npm install`: the whole path for
 * real in a scratch folder — a private MariaDB, PHP-FPM and nginx, the fixture release deployed, verified,
 * reported — then everything it started is stopped. Each stage's output, the handoff PDF and the summary.
 */
const root = resolve(import.meta.dirname, '../..');
const base = mkdtempSync(join(tmpdir(), 'moko-demo-test-'));
const dir = join(base, 'demo');
chmodSync(base, 0o755); // the site's workers (www-data) reach the scratch folder through it

interface DemoRun {
  child: ChildProcess;
  out(): { stdout: string; stderr: string };
  done: Promise<{ code: number; stdout: string; stderr: string }>;
}

function startDemo(args: string[], env: NodeJS.ProcessEnv = {}): DemoRun {
  const child = spawn('bash', [join(root, 'scripts', 'demo.sh'), ...args], {
    cwd: root,
    env: { ...process.env, DEMO_DIR: dir, NO_COLOR: '1', DEMO_RELEASE: '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? -1 : -2), stdout, stderr })),
  );
  return { child, out: () => ({ stdout, stderr }), done };
}

const runDemo = (args: string[], env: NodeJS.ProcessEnv = {}) => startDemo(args, env).done;

/** Processes whose command line names `folder`: what the demo started there. */
function processesIn(folder: string): string[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(folder);
      } catch {
        return false;
      }
    });
}

/** The output of one `$ mokodeploy WORDS…` stage: up to the next stage or demo note. */
function stage(out: string, words: string): string {
  const start = out.indexOf(`$ mokodeploy ${words}`);
  expect(start, `stage "${words}" in the output`).toBeGreaterThanOrEqual(0);
  const rest = out.slice(start + 1);
  const end = rest.search(/\n\$ mokodeploy |\n\(demo\) |\n== /);
  return end < 0 ? rest : rest.slice(0, end);
}

let run: { code: number; stdout: string; stderr: string };
const id = (() => {
  const now = new Date();
  return `demo-${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
})();

beforeAll(async () => {
  run = await runDemo(['--no-serve']);
}, 420_000);

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('npm run demo -- --no-serve', () => {
  it('walks every stage for real and exits 0', () => {
    const out = run.stdout;
    expect(run.code, `${out.slice(-3000)}\n${run.stderr.slice(-3000)}`).toBe(0);
    expect(stage(out, 'init demo')).toContain('wrote plans/demo.yaml');
    expect(stage(out, '--json plan submit plans/demo.yaml --as tina')).toContain('"state": "submitted"');
    expect(run.stderr).toContain('tina may not do plan.approve: that needs the role deployment-manager');
    expect(out).toContain('(demo) refused (exit 4)');
    expect(stage(out, `approve ${id} --as dave`)).toContain(`${id}: approved`);
    expect(stage(out, `validate ${id} --as tina`)).toMatch(/Environment validation of local/);
    expect(stage(out, `ready ${id} --as tina`)).toContain(`${id}: ready`);
    expect(stage(out, `schedule ${id} --as dave`)).toContain(`${id}: scheduled`);
    const deploy = stage(out, `deploy ${id} --as tina`);
    expect(deploy).toMatch(/\[\d+\/\d+\] install:database done/);
    expect(deploy).toMatch(new RegExp(`${id}: deployed in [\\d.]+s`));
    expect(stage(out, `backup ${id} --as tina`)).toContain('verified by a test restore');
    const verify = stage(out, `verify ${id} --as quinn`);
    expect(verify).toMatch(/ok\s+login\.browser\s+admin logged in with Chromium/);
    expect(verify).toMatch(/ok\s+verify\.workflows/);
    expect(verify).toMatch(/ok\s+verify\.reports/);
    expect(verify).toMatch(/ok\s+verify\.backup-jobs/);
    // the one item a laptop may fail: its firewall is system-wide, and the demo changes nothing system-wide
    const failing = [...verify.matchAll(/FAIL\s+(verify\.\S+)/g)].map((m) => m[1]);
    expect(failing.filter((f) => f !== 'verify.firewall')).toEqual([]);
    expect(stage(out, `report ${id} all`)).toContain(`deliver it: mokodeploy handoff-deliver ${id}`);
    expect(stage(out, 'audit verify')).toMatch(/audit trail intact: \d+ entries, signed/);
  });

  it('writes the handoff pack as a PDF that names the deployment and the release', () => {
    const pdf = join(dir, 'reports', `${id}-handoff.pdf`);
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain(id);
    expect(text).toContain('DEMO Ltd');
    expect(text).toContain('20.0.2');
  });

  it('ends with the summary: URL, admin login read with secret get (never printed into a pipe), PDF, audit', () => {
    const summary = run.stdout.slice(run.stdout.indexOf(`== ${id}: deployed, verified, reported`));
    expect(summary).toMatch(/site\s+https:\/\/crm\.demo\.localhost:\d+\//);
    expect(summary).toMatch(/admin login\s+admin \/ the password is in \S*admin-password \(0600\)/);
    expect(summary).toContain('(read with mokodeploy secret get)');
    expect(summary).toMatch(new RegExp(`handoff pack\\s+\\S*reports/${id}-handoff\\.pdf`));
    expect(summary).toMatch(/audit trail\s+intact: \d+ entries, signed/);
    const file = join(dir, 'admin-password');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = new SecretStore(join(dir, '.mokodeploy'), join(dir, 'keys', 'secret.key')).get(
      'demo/admin',
    );
    expect(readFileSync(file, 'utf8').trim()).toBe(stored.reveal());
    expect(run.stdout + run.stderr).not.toContain(stored.reveal());
  });

  it('stops everything it started', async () => {
    const port = Number(/site\s+https:\/\/crm\.demo\.localhost:(\d+)\//.exec(run.stdout)?.[1]);
    expect(port).toBeGreaterThan(0);
    expect(await portOpen(port)).toBe(false);
    expect(processesIn(dir)).toEqual([]);
  });
});

describe('npm run demo on a machine without the packages', () => {
  it('names the missing ones and how to install them, and starts nothing', async () => {
    // dpkg-query answering "not installed" for chromium: the machine's other packages stay as they are
    const bin = mkdtempSync(join(base, 'bin-'));
    const fake = join(bin, 'dpkg-query');
    writeFileSync(
      fake,
      `#!/bin/sh\nfor a in "$@"; do [ "$a" = chromium ] && exit 1; done\nexec /usr/bin/dpkg-query "$@"\n`,
    );
    chmodSync(fake, 0o755);
    rmSync(dir, { recursive: true, force: true });
    const r = await runDemo(['--no-serve'], { PATH: `${bin}:${process.env.PATH}` });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('demo: these Debian packages are missing: chromium');
    expect(r.stderr).toContain('sudo bash .ci/install.sh');
    expect(r.stderr).toContain('sudo npm run demo -- --install');
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses a scratch folder the site workers (www-data) cannot reach, saying how to fix it', async () => {
    const closed = mkdtempSync(join(base, 'closed-'));
    chmodSync(closed, 0o700);
    const r = await runDemo(['--no-serve'], { DEMO_DIR: join(closed, 'demo') });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${closed} is closed to other users (mode 700)`);
    expect(r.stderr).toContain('set DEMO_DIR=/srv/mokodeploy-demo');
    expect(existsSync(join(closed, 'demo'))).toBe(false);
  });
});

describe('npm run demo with a DEMO_DIR that is not its own', () => {
  it('leaves a folder that holds anything but an earlier demo untouched', async () => {
    const foreign = mkdtempSync(join(base, 'foreign-'));
    chmodSync(foreign, 0o755);
    writeFileSync(join(foreign, 'keep.txt'), 'not the demo');
    const r = await runDemo(['--no-serve'], { DEMO_DIR: foreign });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${foreign} is not empty and not an earlier demo's folder`);
    expect(readdirSync(foreign)).toEqual(['keep.txt']);
  });
});

describe('npm run demo (serving)', () => {
  it('keeps the site up, the admin logs in, and Ctrl-C stops everything it started', async () => {
    const demo = startDemo([]);
    await waitFor(
      'the demo to serve',
      () => demo.out().stdout.includes('stays up until Ctrl-C'),
      400_000,
      () => JSON.stringify(demo.out()).slice(-3000),
    );
    const port = Number(/site\s+https:\/\/crm\.demo\.localhost:(\d+)\//.exec(demo.out().stdout)?.[1]);
    const login = await loginThroughForm({
      url: `https://crm.demo.localhost:${port}`,
      login: 'admin',
      password: new Secret(readFileSync(join(dir, 'admin-password'), 'utf8').trim()),
      address: '127.0.0.1',
      ca: readFileSync(join(dir, 'tls', 'root.crt')),
    });
    expect(login.ok, login.reason).toBe(true);
    demo.child.kill('SIGINT');
    const r = await demo.done;
    expect(r.code).toBe(130);
    expect(r.stdout).toContain('(demo) stopping MariaDB, PHP-FPM, nginx and the mail sink');
    expect(await portOpen(port)).toBe(false);
    expect(processesIn(dir)).toEqual([]);
  }, 480_000);

  it('a later run stops what a killed demo left running (by its pid files), and nothing else', async () => {
    const folder = mkdtempSync(join(base, 'left-'));
    const mine = spawn('sh', ['-c', 'sleep 600', folder], { stdio: 'ignore' });
    const other = spawn('sleep', ['600'], { stdio: 'ignore' });
    writeFileSync(join(folder, 'mine.pid'), `${mine.pid}\n`);
    writeFileSync(join(folder, 'other.pid'), `${other.pid}\n`);
    try {
      expect(await stopLeftovers(folder)).toEqual([mine.pid]);
      expect(other.exitCode).toBeNull();
    } finally {
      mine.kill('SIGKILL');
      other.kill('SIGKILL');
    }
  });
});
