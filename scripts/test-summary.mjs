/* global process, console */
// Prints the closing line CI reads, "N passed, N failed, N skipped", from vitest's JSON reports:
// the main suite's (first argument) and one per extra Node.js line (.test-output/vitest-node-*.json).
// Each report gets its own line first, so a failure on one Node line is visible by name.
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';

const counts = (report) => ({
  passed: report.numPassedTests,
  failed: report.numFailedTests,
  skipped: report.numPendingTests + (report.numTodoTests ?? 0),
  total: report.numTotalTests,
});
const text = (c) => `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;

const [main, ...others] = process.argv.slice(2);
const reports = [{ label: `Node ${process.versions.node} (whole suite)`, file: main }];
for (const file of others) {
  const line = /vitest-node-(\d+)\.json$/.exec(basename(file))?.[1] ?? file;
  reports.push({ label: `Node ${line} (line tests: scripts/test-node-lines.sh)`, file });
}

const total = { passed: 0, failed: 0, skipped: 0, total: 0 };
let missing = false;
for (const { label, file } of reports) {
  if (!existsSync(file)) {
    console.log(`${label}: no report (the run did not finish)`);
    missing = true;
    continue;
  }
  const c = counts(JSON.parse(readFileSync(file, 'utf8')));
  if (reports.length > 1) console.log(`${label}: ${text(c)}`);
  if (c.total === 0) missing = true;
  for (const k of Object.keys(total)) total[k] += c[k];
}
console.log(text(total));
if (missing || total.total === 0) {
  console.error('a test run reported no test');
  process.exit(1);
}
