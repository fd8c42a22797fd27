import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/context.js';
import { sha256Hex } from '../../src/core/canonical.js';

/** Issue 12: evidence is stored as the very bytes that were hashed (one read), 0600 in a 0700 folder. */
describe('evidence files', () => {
  it('stores the bytes it hashed, even for a file whose content is not what a second read or copy gives', async () => {
    const home = join(mkdtempSync(join(tmpdir(), 'moko-evidence-')), 'home');
    const app = createApp({ home, env: {} });
    // a /proc file is "regular" with size 0: a copy of it by its size (the old second read) stores nothing
    const e = await app.storeEvidenceFile('/proc/self/status');
    expect(e.kind).toBe('file');
    const stored = join(home, 'evidence', (e as { sha256: string }).sha256);
    const bytes = readFileSync(stored);
    expect(bytes.length).toBe((e as { size: number }).size);
    expect(bytes.length).toBeGreaterThan(0);
    expect(sha256Hex(bytes)).toBe((e as { sha256: string }).sha256);
    expect(statSync(stored).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, 'evidence')).mode & 0o777).toBe(0o700);
  });
});
