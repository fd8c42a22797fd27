import type { AppContext } from '../../app/context.js';
import { loadRecord } from './records.js';
import { assertInWindow, type WindowAction } from '../../core/window.js';

/**
 * The approved-window rule (core/window.ts) as every command that changes a production target calls it,
 * before its first command on the target: refused outside the window (with the window and the time now),
 * allowed with a warning under an exception or out of the policy's scope.
 */
export async function refuseOutsideWindow(a: AppContext, id: string, action: WindowAction): Promise<void> {
  const { record } = await loadRecord(a, id);
  const note = assertInWindow(record, a.policy(), a.now(), action);
  if (note) a.out.warn(note);
}
