import { describe, expect, it } from 'vitest';
import { workspace } from '../helpers/cli.js';
import { planInput } from '../helpers/records.js';

/**
 * Issue 19, through the built executable: the options of `rehearse` and `archives` are checked before the target
 * is touched: a clear error naming the flag, exit 2, the store exactly as before.
 */
describe('rehearse and archives: bad options', () => {
  const ws = workspace();
  ws.writePlan('plan.yaml', planInput());
  expect(ws.run(['plan', 'submit', 'plan.yaml', '--as', 'tina']).code).toBe(0);
  const id = 'acme-2026-12';

  it.each([
    [
      ['rehearse', id, '--reload-seconds', 'fast'],
      /--reload-seconds: expected seconds between 0 and 600, got "fast"/,
    ],
    [['rehearse', id, '--reload-seconds', '-1'], /--reload-seconds: expected seconds/],
    [['archives', id, '--keep', '2x'], /--keep: expected a number of 0 or more, got "2x"/],
    [['archives', id, '--prune', '--keep-days', '-3'], /--keep-days: expected a number/],
    [['archives', id, '--failed-keep-days', 'NaN'], /--failed-keep-days: expected a number/],
  ])('%j', (args, message) => {
    const before = ws.dumpStore();
    const r = ws.run([...args, '--as', 'tina']);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(ws.dumpStore()).toBe(before);
  });
});
