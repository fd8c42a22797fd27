/* global process, console */
// Writes test/durations.json (seconds per test file, from a vitest JSON report: .test-output/vitest.json by
// default) for the sequencer in vitest.config.ts, which starts the longest files first so the two workers
// finish together. Run it after a full `npm test` when files were added or got much faster or slower.
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

const report = JSON.parse(readFileSync(process.argv[2] ?? '.test-output/vitest.json', 'utf8'));
const seconds = {};
for (const r of report.testResults) {
  seconds[relative(process.cwd(), r.name)] = Math.round((r.endTime - r.startTime) / 100) / 10;
}
const sorted = Object.fromEntries(Object.entries(seconds).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync('test/durations.json', `${JSON.stringify(sorted, null, 1)}\n`);
console.log(`test/durations.json: ${Object.keys(sorted).length} files`);
