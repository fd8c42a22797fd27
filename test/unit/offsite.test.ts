import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { manifestEntries, type OffsiteIndex } from '../../src/offsite/copies.js';
import { openSealed, sealFile } from '../../src/offsite/seal.js';
import { OffsiteStore } from '../../src/offsite/store.js';
import { applyOffsiteRetention } from '../../src/offsite/retention.js';

const dir = mkdtempSync(join(tmpdir(), 'moko-offsite-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const key = randomBytes(32);

describe('manifest lines', () => {
  it('reads sha256sum lines and refuses one naming a file outside the backup or without a sha256', () => {
    const h = 'a'.repeat(64);
    expect(manifestEntries(`${h}  database.sql\n${h}  tables/rows.tsv\n`)).toEqual([
      { sha256: h, name: 'database.sql' },
      { sha256: h, name: 'tables/rows.tsv' },
    ]);
    expect(() => manifestEntries(`${h}  ../../etc/shadow\n`)).toThrow(/line 1 .*file in the backup/);
    expect(() => manifestEntries(`${h}  /etc/shadow\n`)).toThrow(/line 1/);
    expect(() => manifestEntries(`${h}  ok\n../../x  database.sql\n`)).toThrow(/line 2/);
  });
});

describe('sealed files', () => {
  const plain = join(dir, 'plain');
  const content = randomBytes(300_000);
  writeFileSync(plain, content);

  it('open to the same bytes, and are not plaintext', async () => {
    await sealFile(plain, join(dir, 'sealed'), sha(content), key);
    expect(readFileSync(join(dir, 'sealed')).includes(content.subarray(0, 64))).toBe(false);
    expect(await openSealed(join(dir, 'sealed'), join(dir, 'back'), sha(content), key)).toBe(sha(content));
    expect(readFileSync(join(dir, 'back')).equals(content)).toBe(true);
  });

  it('refuse a flipped byte, another name (sha256) or another key, leaving nothing behind', async () => {
    const good = readFileSync(join(dir, 'sealed'));
    const bad = Buffer.from(good);
    bad[1000]! ^= 1;
    writeFileSync(join(dir, 'bad'), bad);
    await expect(openSealed(join(dir, 'bad'), join(dir, 'out1'), sha(content), key)).rejects.toThrow(
      /altered/,
    );
    expect(existsSync(join(dir, 'out1'))).toBe(false);
    await expect(openSealed(join(dir, 'sealed'), join(dir, 'out2'), 'b'.repeat(64), key)).rejects.toThrow(
      /altered/,
    );
    await expect(
      openSealed(join(dir, 'sealed'), join(dir, 'out3'), sha(content), randomBytes(32)),
    ).rejects.toThrow();
  });

  it('seal an empty file too', async () => {
    writeFileSync(join(dir, 'empty'), '');
    await sealFile(join(dir, 'empty'), join(dir, 'empty.sealed'), sha(''), key);
    expect(await openSealed(join(dir, 'empty.sealed'), join(dir, 'empty.back'), sha(''), key)).toBe(sha(''));
  });
});

describe('retention in the store', () => {
  it('keeps the newest backups and the blobs they name, shared ones included', async () => {
    const store = new OffsiteStore(join(dir, 'home'), key);
    const file = (text: string) => {
      const p = join(dir, `f-${sha(text)}`);
      writeFileSync(p, text);
      return { p, sha256: sha(text) };
    };
    const shared = file('conf.php same in every backup');
    for (const stamp of ['20261201000000', '20261202000000', '20261203000000']) {
      const own = file(`dump of ${stamp}`);
      for (const f of [shared, own]) await store.putBlob(f.p, f.sha256, join(dir, 'check'));
      store.writeIndex({
        client: 'acme',
        stamp,
        files: [
          { name: 'conf.php', sha256: shared.sha256, bytes: 1 },
          { name: 'database.sql', sha256: own.sha256, bytes: 1 },
        ],
      } as OffsiteIndex);
    }
    const removed = await applyOffsiteRetention('acme', 2, { store });
    expect(removed.store).toEqual(['20261201000000']);
    expect(store.indexes('acme').map((i) => i.stamp)).toEqual(['20261202000000', '20261203000000']);
    expect(existsSync(store.blobPath(shared.sha256))).toBe(true);
    expect(existsSync(store.blobPath(sha('dump of 20261201000000')))).toBe(false);
    expect(existsSync(store.blobPath(sha('dump of 20261203000000')))).toBe(true);
  });
});
