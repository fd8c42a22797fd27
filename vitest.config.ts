import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { configDefaults, defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Longest files first (seconds per file in test/durations.json, from a full run: scripts/test-durations.mjs), so
 * the two workers finish together instead of one running a 90 s file alone at the end. A file not listed yet
 * (new) counts as long: it starts early. Vitest's own order needs its cache, which `npm ci` removes.
 */
const unknownSeconds = 30;

class LongestFirst extends BaseSequencer {
  async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    let seconds: Record<string, number> = {};
    try {
      seconds = JSON.parse(readFileSync(new URL('./test/durations.json', import.meta.url), 'utf8'));
    } catch {
      return super.sort(files);
    }
    const of = (f: TestSpecification) => seconds[relative(import.meta.dirname, f.moduleId)] ?? unknownSeconds;
    return [...files].sort((a, b) => of(b) - of(a));
  }
}

/**
 * Unit tests are pure (no daemon, no process-wide change): they share their workers' processes and module cache
 * (isolate: false). A fresh process per file cost 0.55 s of CPU per unit file, more than most of them run
 * (103 files: 80 s of CPU and 200 s on one loaded machine isolated, 24 s and 42 s shared). Every other file keeps a
 * process of its own: they start daemons, set environment variables and kill children.
 */
const unit = 'test/unit/**/*.test.ts';

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        // the files share one process: the redaction registry is emptied before each (test/helpers/unit-setup.ts)
        test: { name: 'unit', include: [unit], isolate: false, setupFiles: ['test/helpers/unit-setup.ts'] },
      },
      {
        extends: true,
        test: { name: 'rest', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, unit] },
      },
    ],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
    sequence: { sequencer: LongestFirst },
    // Integration tests drive real daemons on a 2-core machine: a test that fails is run again
    // (up to twice) before it counts as failed; the retry is reported, so flakiness stays visible.
    retry: 2,
  },
});
