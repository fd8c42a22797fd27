import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshHost } from '../../src/hosts/ssh.js';
import { LocalHost } from '../../src/hosts/local.js';
import {
  deployUser,
  ensureUser,
  makeTempDir,
  removeDir,
  startSshd,
  type Sshd,
} from '../helpers/services/index.js';

// Transfers over a real sshd as the non-root deploy user (SFTP; sudo -n for root's paths), and on this machine.
let sshd: Sshd;
const dir = makeTempDir('hosts-transfer');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const home = `/home/${deployUser}`;
const staging = join(home, '.mokodeploy-uploads');
const hostOf = () =>
  new SshHost({
    host: '127.0.0.1',
    port: sshd.port,
    user: deployUser,
    identityFile: sshd.clientKeyPath,
    knownHostsFile: sshd.knownHostsPath,
    sudo: true,
  });
const ownerOf = (p: string) => execFileSync('stat', ['-c', '%U %a', p], { encoding: 'utf8' }).trim();

beforeAll(async () => {
  ensureUser(deployUser, { sudo: 'nopasswd' });
  chmodSync(dir, 0o755);
  sshd = await startSshd({ users: ['root', deployUser] });
  execFileSync('rm', ['-rf', staging]);
});
afterAll(async () => {
  await sshd?.stop();
  removeDir(dir);
});

describe('SshHost transfers (SFTP as the deploy user)', () => {
  it('uploads into a directory the user can write, checked by sha256, mode 0600 by default', async () => {
    const userDir = join(dir, 'user-writable');
    mkdirSync(userDir);
    execFileSync('chown', [deployUser, userDir]);
    const local = join(dir, 'small.bin');
    writeFileSync(local, randomBytes(70_000));
    const host = hostOf();
    try {
      const r = await host.upload(local, join(userDir, 'small.bin'));
      expect(r).toMatchObject({ bytes: 70_000, sha256: sha(readFileSync(local)), resumedFrom: 0 });
      expect(readFileSync(join(userDir, 'small.bin')).equals(readFileSync(local))).toBe(true);
      expect(ownerOf(join(userDir, 'small.bin'))).toBe(`${deployUser} 600`);
      expect(readdirSync(userDir)).toEqual(['small.bin']); // no staging file left beside it
    } finally {
      await host.close();
    }
  });

  it('uploads into root-only directories through sudo, owned by root; resumes an interrupted upload', async () => {
    const rootDir = join(dir, 'root-only');
    mkdirSync(rootDir, { mode: 0o700, recursive: true });
    execFileSync('rm', ['-rf', staging]);
    const local = join(dir, 'big.bin');
    const content = randomBytes(12 * 1024 * 1024);
    writeFileSync(local, content);
    const target = join(rootDir, 'nested', 'big.bin');

    // first attempt: the connection is cut after 3 MiB (as a dead link would)
    const first = hostOf();
    let cut = 0;
    await expect(
      first.upload(local, target, {
        sudo: true,
        onProgress: ({ bytes }) => {
          if (bytes >= 3 * 1024 * 1024 && !cut) {
            cut = bytes;
            void first.close();
          }
        },
      }),
    ).rejects.toThrow();
    expect(cut).toBeGreaterThan(0);
    expect(existsSync(target)).toBe(false);
    const partial = readdirSync(staging).map((f) => statSync(join(staging, f)).size);
    expect(partial).toHaveLength(1);
    expect(partial[0]).toBeGreaterThan(0);
    expect(partial[0]).toBeLessThan(content.length);

    const progress: number[] = [];
    const second = hostOf();
    try {
      const r = await second.upload(local, target, {
        sudo: true,
        mode: 0o640,
        onProgress: (p) => progress.push(p.bytes),
      });
      expect(r.resumedFrom).toBe(partial[0]);
      expect(progress[0]).toBeGreaterThan(partial[0]!); // counted from the bytes already there
      expect(progress.at(-1)).toBe(content.length);
      expect(r.sha256).toBe(sha(content));
      expect(readFileSync(target).equals(content)).toBe(true);
      expect(ownerOf(target)).toBe('root 640');
      expect(readdirSync(staging)).toEqual([]);
    } finally {
      await second.close();
    }
  }, 60_000);

  it('removes a staged copy that does not hash right and says so; the next run copies it whole', async () => {
    const local = join(dir, 'tampered.bin');
    const content = randomBytes(200_000);
    writeFileSync(local, content);
    const name = `.tampered.bin.${sha(content).slice(0, 16)}.part`;
    // a partial copy of the right name whose bytes are not the file's
    mkdirSync(staging, { recursive: true });
    writeFileSync(join(staging, name), randomBytes(1000));
    execFileSync('chown', ['-R', deployUser, staging]);
    const target = join(dir, 'root-only', 'tampered.bin');
    const host = hostOf();
    try {
      await expect(host.upload(local, target, { sudo: true })).rejects.toThrow(/sha256 .* on the target/);
      expect(existsSync(join(staging, name))).toBe(false);
      expect(existsSync(target)).toBe(false);
      const r = await host.upload(local, target, { sudo: true });
      expect(r.resumedFrom).toBe(0);
      expect(readFileSync(target).equals(content)).toBe(true);
    } finally {
      await host.close();
    }
  });

  it('downloads a root-only file through sudo -n cat; without sudo it is refused', async () => {
    const secretFile = join(dir, 'root-only', 'dump.sql');
    const content = randomBytes(3 * 1024 * 1024 + 17);
    writeFileSync(secretFile, content, { mode: 0o600 });
    const host = hostOf();
    try {
      const here = join(dir, 'downloads', 'dump.sql');
      await expect(host.download(secretFile, here)).rejects.toThrow(/Permission denied|cannot download/);
      expect(existsSync(here)).toBe(false);
      const seen: number[] = [];
      const r = await host.download(secretFile, here, { sudo: true, onProgress: (p) => seen.push(p.total) });
      expect(r).toMatchObject({ bytes: content.length, sha256: sha(content) });
      expect(seen.every((t) => t === content.length)).toBe(true);
      expect(readFileSync(here).equals(content)).toBe(true);
      expect(statSync(here).mode & 0o777).toBe(0o600);
      // readable by the user: over SFTP
      const open = join(dir, 'user-writable', 'small.bin');
      const r2 = await host.download(open, join(dir, 'downloads', 'small.bin'));
      expect(r2.sha256).toBe(sha(readFileSync(open)));
    } finally {
      await host.close();
    }
  });

  it('refuses a download whose sha256 is not the expected one, leaving nothing behind', async () => {
    const host = hostOf();
    try {
      const here = join(dir, 'downloads', 'refused.sql');
      await expect(
        host.download(join(dir, 'root-only', 'dump.sql'), here, {
          sudo: true,
          expectedSha256: 'a'.repeat(64),
        }),
      ).rejects.toThrow(/expected/);
      expect(existsSync(here)).toBe(false);
      expect(existsSync(`${here}.part`)).toBe(false);
    } finally {
      await host.close();
    }
  });
});

describe('LocalHost transfers (copies on this machine)', () => {
  it('uploads resuming a partial copy, and downloads, both checked by sha256', async () => {
    const host = new LocalHost();
    const local = join(dir, 'local.bin');
    const content = randomBytes(500_000);
    writeFileSync(local, content);
    const targetDir = join(dir, 'local-target');
    mkdirSync(targetDir);
    chmodSync(targetDir, 0o755);
    const target = join(targetDir, 'copy.bin');
    writeFileSync(
      join(targetDir, `.copy.bin.${sha(content).slice(0, 16)}.part`),
      content.subarray(0, 123_456),
    );
    const up = await host.upload(local, target);
    expect(up.resumedFrom).toBe(123_456);
    expect(readFileSync(target).equals(content)).toBe(true);
    expect(readdirSync(targetDir)).toEqual(['copy.bin']);
    const down = await host.download(target, join(dir, 'local-back', 'copy.bin'));
    expect(down.sha256).toBe(sha(content));
    expect(readFileSync(join(dir, 'local-back', 'copy.bin')).equals(content)).toBe(true);
  });
});
