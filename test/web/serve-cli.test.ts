import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, workspace, type Workspace } from '../helpers/cli.js';
import { ApiClient } from './helpers/api-client.js';

let ws: Workspace;
let env: NodeJS.ProcessEnv;
let child: ChildProcess | undefined;
let output = '';

const setPassword = (login: string, input: string) =>
  spawnSync(process.execPath, [bin, 'user', 'password', login], {
    cwd: ws.dir,
    env,
    input,
    encoding: 'utf8',
  });

beforeAll(() => {
  ws = workspace();
  env = { ...ws.env, MOKODEPLOY_SESSION_KEY_FILE: join(ws.dir, 'config', 'session.key') };
});
afterAll(() => {
  child?.kill('SIGTERM');
});

describe('mokodeploy user password / serve (the built executable)', () => {
  it('sets a password from standard input for a person of the team file only', () => {
    const ok = setPassword('dave', 'dave-long-passphrase-here\n');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('password set for dave');
    expect(ok.stdout + ok.stderr).not.toContain('dave-long-passphrase-here');
    expect(statSync(join(ws.dir, '.mokodeploy', 'passwords.json')).mode & 0o777).toBe(0o600);
    const stranger = setPassword('mallory', 'mallory-long-passphrase\n');
    expect(stranger.status).toBe(2);
    expect(stranger.stderr).toContain('"mallory" is not in the team file');
    const short = setPassword('tina', 'short\n');
    expect(short.status).toBe(2);
    expect(short.stderr).toContain('shorter than 12 characters');
  });

  it('serves the dashboard on the embedded default store; the password works and is never logged', async () => {
    child = spawn(process.execPath, [bin, 'serve', '--port', '0'], { cwd: ws.dir, env });
    child.stdout!.on('data', (b) => (output += b));
    child.stderr!.on('data', (b) => (output += b));
    const deadline = Date.now() + 20_000;
    while (!/dashboard on (http:\/\/127\.0\.0\.1:\d+)/.test(output) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const url = /dashboard on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    expect(url, output).toBeDefined();
    const c = new ApiClient(url!);
    expect((await c.login('dave', 'dave-long-passphrase-here')).status).toBe(200);
    expect((await c.get('/api/deployments')).data).toEqual([]);
    expect((await c.get('/')).text).toContain('<h1>Waiting for Dave Manager</h1>');
    const board = await c.get('/board');
    expect(board.text).toContain('<h1>Deployments</h1>');
    expect(statSync(join(ws.dir, 'config', 'session.key')).mode & 0o777).toBe(0o600);
    expect(output).not.toContain('dave-long-passphrase-here');
    expect(output).not.toContain(c.cookie.split('=')[1]!.slice(0, 20));
  });
});
