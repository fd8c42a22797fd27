import { execFileSync, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshHost } from '../../src/hosts/ssh.js';
import { Secret } from '../../src/core/secret.js';
import {
  deployUser,
  ensureUser,
  freePort,
  makeTempDir,
  removeDir,
  startSshd,
  type Sshd,
} from '../helpers/services/index.js';

let sshd: Sshd;
let other: Sshd;
let host: SshHost;
const dir = makeTempDir('hosts-ssh');
const sudoUser = 'mokosudo';

const hostFor = (s: Sshd, extra: Partial<ConstructorParameters<typeof SshHost>[0]> = {}) =>
  new SshHost({
    host: '127.0.0.1',
    port: s.port,
    user: 'root',
    identityFile: s.clientKeyPath,
    knownHostsFile: s.knownHostsPath,
    ...extra,
  });

beforeAll(async () => {
  ensureUser(sudoUser, { sudo: 'password' });
  ensureUser(deployUser, { sudo: 'nopasswd' });
  [sshd, other] = await Promise.all([startSshd({ users: ['root', sudoUser, deployUser] }), startSshd()]);
  host = hostFor(sshd, { user: deployUser, sudo: true });
});
afterAll(async () => {
  await host?.close();
  await Promise.all([sshd?.stop(), other?.stop()]);
  removeDir(dir);
});

describe('SshHost', () => {
  it('sends argv quoted by shell.ts: the remote shell sees each word as given', async () => {
    const words = ['$HOME', 'a b', "it's", '`id`; echo pwned', '*', ''];
    const r = await host.run({ argv: ['printf', '%s|', ...words] });
    expect(r).toMatchObject({ code: 0, stdout: words.map((w) => `${w}|`).join(''), timedOut: false });
    expect(host.name).toBe(`${deployUser}@127.0.0.1:${sshd.port}`);
  });

  it('passes stdin, cwd and env', async () => {
    const r = await host.run({
      argv: ['sh', '-c', 'pwd; echo "$MOKO_X"; cat'],
      cwd: '/tmp',
      env: { MOKO_X: 'y z' },
      stdin: new Secret('piped-secret-1'),
    });
    expect(r.stdout).toBe('/tmp\ny z\npiped-secret-1');
  });

  it('kills a hanging command on the server after the timeout', async () => {
    const r = await host.run({ argv: ['sleep', '27.1828'], timeoutMs: 1_000 });
    expect(r.timedOut).toBe(true);
    expect(r.code).toBeNull();
    expect(r.durationMs).toBeLessThan(6_000);
    const left = await host.run({ argv: ['sh', '-c', 'pgrep -f "^sleep 27.1828$" || echo none'] });
    expect(left.stdout.trim()).toBe('none');
  });

  it('truncates output past the limit', async () => {
    const r = await host.run({ argv: ['head', '-c', '100000', '/dev/zero'], maxOutputBytes: 4096 });
    expect(r.truncated).toBe(true);
    expect(r.stdout.length).toBe(4096);
  });

  it('reports a missing command with exit 127', async () => {
    const r = await host.run({ argv: ['no-such-program-moko'] });
    expect(r.code).toBe(127);
  });

  it('uses sudo -n for commands marked sudo, and sudo -u for asUser', async () => {
    expect((await host.run({ argv: ['id', '-un'] })).stdout.trim()).toBe(deployUser);
    expect((await host.run({ argv: ['id', '-un'], sudo: true })).stdout.trim()).toBe('root');
    expect((await host.run({ argv: ['id', '-un'], asUser: 'www-data' })).stdout.trim()).toBe('www-data');
  });

  it('writes a file atomically with its mode and reads it back (through sudo)', async () => {
    const path = join(dir, 'secret.txt');
    await host.writeFile({ path, content: Buffer.from([0, 1, 2, 255]), mode: 0o600, owner: 'www-data' });
    expect(execFileSync('stat', ['-c', '%a %U', path]).toString().trim()).toBe('600 www-data');
    expect([...(await host.readFile(path))]).toEqual([0, 1, 2, 255]);
  });

  it('runs 20 commands at once over one connection', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => host.run({ argv: ['echo', String(i)] })),
    );
    expect(results.map((r) => r.stdout.trim())).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
  });

  it('fails fast with sudo -n when sudo wants a password', async () => {
    const h = hostFor(sshd, { user: sudoUser, sudo: true });
    try {
      const r = await h.run({ argv: ['id', '-u'], sudo: true, timeoutMs: 10_000 });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('a password is required');
      expect(r.durationMs).toBeLessThan(5_000);
    } finally {
      await h.close();
    }
  });
});

describe('SshHost with ssh-agent', () => {
  it('authenticates with a key held by the agent (SSH_AUTH_SOCK), no identityFile', async () => {
    const sock = join(dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    const saved = process.env.SSH_AUTH_SOCK;
    try {
      for (let i = 0; i < 100 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50));
      execFileSync('ssh-add', ['-q', sshd.clientKeyPath], {
        env: { ...process.env, SSH_AUTH_SOCK: sock },
        stdio: 'ignore',
      });
      process.env.SSH_AUTH_SOCK = sock;
      const h = new SshHost({
        host: '127.0.0.1',
        port: sshd.port,
        user: deployUser,
        knownHostsFile: sshd.knownHostsPath,
      });
      expect((await h.run({ argv: ['id', '-un'] })).stdout.trim()).toBe(deployUser);
      await h.close();
    } finally {
      if (saved === undefined) delete process.env.SSH_AUTH_SOCK;
      else process.env.SSH_AUTH_SOCK = saved;
      agent.kill();
    }
  });
});

describe('SshHost refuses', () => {
  it('an unknown host key, naming the host and the fingerprint', async () => {
    const empty = join(dir, 'empty_known_hosts');
    writeFileSync(empty, '');
    const h = hostFor(sshd, { knownHostsFile: empty });
    const e = await h.connect().then(
      () => null,
      (err: Error) => err,
    );
    expect(e).toMatchObject({ kind: 'target' });
    expect(e!.message).toContain(`127.0.0.1:${sshd.port}`);
    expect(e!.message).toContain('unknown host key');
    expect(e!.message).toContain(sshd.hostKeyFingerprint);
  });

  it('a changed host key, naming both fingerprints', async () => {
    const swapped = join(dir, 'swapped_known_hosts');
    const otherKey = other.hostKeyPublic.split(' ').slice(0, 2).join(' ');
    writeFileSync(swapped, `[127.0.0.1]:${sshd.port} ${otherKey}\n`);
    const h = hostFor(sshd, { knownHostsFile: swapped });
    const e = await h.run({ argv: ['true'] }).then(
      () => null,
      (err: Error) => err,
    );
    expect(e!.message).toContain('HOST KEY CHANGED');
    expect(e!.message).toContain(sshd.hostKeyFingerprint);
    expect(e!.message).toContain(other.hostKeyFingerprint);
  });

  it('a wrong client key', async () => {
    const h = hostFor(sshd, { user: 'root', identityFile: other.clientKeyPath });
    await expect(h.connect()).rejects.toThrow(/authentication refused for root/);
  });

  it('an encrypted key it cannot use, as a target error', async () => {
    const key = join(dir, 'encrypted_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'a-passphrase', '-f', key]);
    const h = hostFor(sshd, { user: 'root', identityFile: key });
    await expect(h.connect()).rejects.toMatchObject({
      kind: 'target',
      message: expect.stringMatching(/cannot connect to root@127\.0\.0\.1:\d+: .*(passphrase|encrypted)/i),
    });
  });

  it('a closed port, quickly', async () => {
    const port = await freePort();
    const h = new SshHost({
      host: '127.0.0.1',
      port,
      user: 'root',
      identityFile: sshd.clientKeyPath,
      knownHostsFile: sshd.knownHostsPath,
    });
    await expect(h.connect()).rejects.toThrow(/connection refused/);
  });

  it('a port that accepts but never speaks SSH, after the connect timeout', async () => {
    const silent = createServer(() => {}); // accepts the TCP connection, sends nothing
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as AddressInfo).port;
    try {
      const h = new SshHost({
        host: '127.0.0.1',
        port,
        user: 'root',
        identityFile: sshd.clientKeyPath,
        knownHostsFile: sshd.knownHostsPath,
        connectTimeoutMs: 1_500,
      });
      const started = Date.now();
      await expect(h.connect()).rejects.toThrow(/no SSH answer within 1\.5 s/);
      expect(Date.now() - started).toBeLessThan(8_000);
    } finally {
      silent.close();
    }
  });

  it('a host that never answers, after the connect timeout', async () => {
    // 192.0.2.0/24 is TEST-NET-1: never routed, so the SYN gets no answer
    const h = new SshHost({
      host: '192.0.2.1',
      port: 22,
      user: 'root',
      identityFile: sshd.clientKeyPath,
      knownHostsFile: sshd.knownHostsPath,
      connectTimeoutMs: 1_500,
    });
    const started = Date.now();
    await expect(h.connect()).rejects.toMatchObject({ kind: 'target' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
