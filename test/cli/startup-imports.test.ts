import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, workspace } from '../helpers/cli.js';

/**
 * A command on the SQLite store loads neither the PostgreSQL client (`pg`, store/open.ts imports it for a
 * postgres:// store only) nor the AWS SDK (evidence/s3.ts imports it on first use of a bucket): together they
 * were half of every command's startup CPU (~0.35 s of ~0.7 s), paid by every CLI call and every CLI test.
 */
const hooks = resolve(import.meta.dirname, '../helpers/import-log.mjs');

describe('what a command loads at startup', () => {
  it('audit verify and show on the SQLite store load no pg and no @aws-sdk', () => {
    const ws = workspace();
    const log = join(ws.dir, 'imports.log');
    for (const args of [['audit', 'verify'], ['list']]) {
      const r = spawnSync(process.execPath, ['--import', hooks, bin, ...args], {
        cwd: ws.dir,
        env: { ...ws.env, MOKODEPLOY_IMPORT_LOG: log },
        encoding: 'utf8',
      });
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    const loaded = readFileSync(log, 'utf8').split('\n');
    expect(loaded.some((u) => u.includes('/dist/store/sqlite.js'))).toBe(true); // the log works
    expect(loaded.filter((u) => /node_modules\/(pg|@aws-sdk|@smithy)\//.test(u))).toEqual([]);
  });
});
