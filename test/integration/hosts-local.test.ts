import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalHost } from '../../src/hosts/local.js';
import { Secret } from '../../src/core/secret.js';
import { makeTempDir, removeDir } from '../helpers/services/index.js';

const host = new LocalHost();
const processesMatching = (re: string) => {
  try {
    return execFileSync('pgrep', ['-f', re]).toString().trim();
  } catch {
    return ''; // pgrep exits 1 when nothing matches
  }
};
const dir = makeTempDir('hosts-local');
afterAll(() => removeDir(dir));

describe('LocalHost', () => {
  it('runs argv without a shell: metacharacters stay literal', async () => {
    const r = await host.run({ argv: ['printf', '%s|', '$HOME', 'a b', "it's", '`id`; rm -rf x'] });
    expect(r).toMatchObject({
      code: 0,
      stdout: "$HOME|a b|it's|`id`; rm -rf x|",
      timedOut: false,
      truncated: false,
    });
  });

  it('feeds stdin, a Secret revealed only there', async () => {
    const r = await host.run({ argv: ['cat'], stdin: new Secret('s3cret-value-1') });
    expect(r.stdout).toBe('s3cret-value-1');
  });

  it('reports a missing program as exit 127', async () => {
    const r = await host.run({ argv: ['no-such-program-moko'] });
    expect(r.code).toBe(127);
    expect(r.stderr).toContain('not found');
  });

  it('kills the whole process group on timeout', async () => {
    const marker = '31.4159';
    const r = await host.run({ argv: ['sh', '-c', `sleep ${marker} & sleep ${marker}`], timeoutMs: 300 });
    expect(r.timedOut).toBe(true);
    expect(r.code).toBeNull();
    expect(r.durationMs).toBeLessThan(5_000);
    expect(processesMatching(`^sleep ${marker}$`)).toBe('');
  });

  it('stops collecting past maxOutputBytes and says so', async () => {
    const r = await host.run({ argv: ['head', '-c', '200000', '/dev/zero'], maxOutputBytes: 1000 });
    expect(r.truncated).toBe(true);
    expect(r.stdout.length).toBe(1000);
    expect(r.code).toBe(0);
  });

  it('runs as another user through sudo -n -u', async () => {
    const r = await host.run({ argv: ['id', '-un'], asUser: 'www-data' });
    expect(r.stdout.trim()).toBe('www-data');
  });

  it('writes atomically with mode and owner, and reads back bytes', async () => {
    const path = join(dir, 'conf.php');
    await host.writeFile({
      path,
      content: new Secret('<?php $x = "pw-123456";'),
      mode: 0o440,
      owner: 'root',
      group: 'www-data',
    });
    const st = statSync(path);
    expect(st.mode & 0o777).toBe(0o440);
    expect(st.gid).toBe(Number(execFileSync('id', ['-g', 'www-data']).toString()));
    expect(readFileSync(path, 'utf8')).toBe('<?php $x = "pw-123456";');
    expect((await host.readFile(path)).toString()).toBe('<?php $x = "pw-123456";');
    expect(execFileSync('ls', ['-A', dir]).toString().trim()).toBe('conf.php'); // no temp file left
  });

  it('fails to read a missing file with a target error', async () => {
    await expect(host.readFile(join(dir, 'missing'))).rejects.toMatchObject({
      kind: 'target',
      message: expect.stringContaining('missing'),
    });
  });
});
