import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MokoError } from '../../src/core/errors.js';
import {
  closeOpenRun,
  listRuns,
  openRunJournal,
  readJournal,
  type Journal,
  type JournalRecord,
} from '../../src/runner/index.js';
import { maintenanceWindow, recordedDowntime } from '../../src/steps/upgrade/outage.js';
import { dolibarrPageErrors } from '../../src/steps/upgrade/page-errors.js';

/** Issue 13: run identity — one journal per run, closed when it ends; only an interrupted run is resumed. */
const base = mkdtempSync(join(tmpdir(), 'moko-runs-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const begin = (j: Journal, facts: Record<string, unknown>) =>
  j.start({
    type: 'run-started',
    at: new Date().toISOString(),
    runId: j.runId!,
    deploymentId: j.deploymentId,
    planHash: j.planHash,
    pid: 1,
    facts,
  });
const stepDone = (j: Journal, step: string, at: string, durationMs = 100) =>
  j.append({ type: 'step-done', at, runId: j.runId!, step, durationMs, outputs: {} });

describe('per-run journals', () => {
  it('a run that ended (closed) lends nothing: the next run is new, with its own id and file', () => {
    const open = () => openRunJournal({ storeDir: base, scope: 'acme.backup', planHash: 'h' });
    const first = open();
    begin(first, { stamp: 'A' });
    stepDone(first, 'backup:prepare', new Date().toISOString());
    first.closeRun('done');
    const second = open();
    expect(second.resume).toEqual({ resumed: false, done: new Map() });
    expect(second.runId).not.toBe(first.runId);
    expect(second.path).not.toBe(first.path);
  });

  it('a killed run is resumed by the next: its facts and done steps (with their times), then closed as abandoned', () => {
    const open = () => openRunJournal({ storeDir: base, scope: 'acme.upgrade', planHash: 'h' });
    const killed = open();
    begin(killed, { stamp: 'K' });
    stepDone(killed, 'upgrade:maintenance-on', '2026-12-06T05:00:00.000Z');
    killed.close(); // kill -9: nothing more written
    const resumed = open();
    expect(resumed.resume.resumed).toBe(true);
    expect(resumed.resume.facts).toEqual({ stamp: 'K' });
    expect([...resumed.resume.done.keys()]).toEqual(['upgrade:maintenance-on']);
    begin(resumed, { stamp: 'K' });
    stepDone(resumed, 'upgrade:maintenance-off', '2026-12-06T05:00:30.000Z');
    resumed.closeRun('done');
    const old = readJournal(killed.path).at(-1) as Extract<JournalRecord, { type: 'run-closed' }>;
    expect(old).toMatchObject({
      type: 'run-closed',
      outcome: 'abandoned',
      endedAt: '2026-12-06T05:00:00.000Z',
    });
    expect(old.startedAt).toBeDefined();
    // the outage runs from the killed run's maintenance on to the resumed run's maintenance off
    expect(maintenanceWindow(resumed.records())).toEqual({
      from: '2026-12-06T04:59:59.900Z',
      to: '2026-12-06T05:00:30.000Z',
      seconds: 30.1,
    });
    expect(listRuns(base, 'acme.upgrade').every((r) => r.closed)).toBe(true);
    expect(open().resume.resumed).toBe(false);
  });

  it('an interrupted run of another plan is a conflict; an operator can close it as abandoned', () => {
    const j = openRunJournal({ storeDir: base, scope: 'acme.rollback', planHash: 'old-plan-hash' });
    begin(j, {});
    j.close();
    expect(() =>
      openRunJournal({ storeDir: base, scope: 'acme.rollback', planHash: 'new-plan-hash' }),
    ).toThrow(MokoError);
    expect(closeOpenRun(base, 'acme.rollback', 'abandoned')?.runId).toBe(j.runId);
    expect(openRunJournal({ storeDir: base, scope: 'acme.rollback', planHash: 'new' }).resume.resumed).toBe(
      false,
    );
    expect(readdirSync(join(base, 'journals', 'acme.rollback'))).toHaveLength(1);
  });
});

describe('outage', () => {
  it('never records less than the maintenance window', () => {
    expect(recordedDowntime(7.31, { from: 'a', to: 'b', seconds: 34.9 })).toBe(34.9);
    expect(recordedDowntime(2, { from: 'a', to: 'b', seconds: 1.5 })).toBe(2);
    expect(recordedDowntime(undefined, { from: 'a' })).toBeUndefined();
  });
});

describe("Dolibarr's upgrade page errors", () => {
  it("finds run_sql()'s error lines (admin.lib.php l.499-501) in the page's HTML", () => {
    const html = [
      '<html><body><h1>Upgrade</h1>',
      '<tr><td class="nowrap">ChoosedMigrateScript</td><td class="right">19.0.0-20.0.0.sql</td></tr>',
      '<tr><td class="tdtop" colspan="2"><div class="error">Error DB_ERROR_NOSUCHTABLE (Req 3): INSERT INTO llx_x VALUES (1)<br>Table &#039;acme.llx_x&#039; doesn&#039;t exist</div></td></tr>',
      '<tr><td>ProcessMigrateScript</td><td class="right"><span class="error">Error</span></td></tr>',
      '</table></body></html>',
    ].join('\n');
    expect(dolibarrPageErrors(html)).toEqual([
      "Error DB_ERROR_NOSUCHTABLE (Req 3): INSERT INTO llx_x VALUES (1) | Table 'acme.llx_x' doesn't exist",
    ]);
    expect(dolibarrPageErrors('</body>\n</html>')).toEqual([]);
  });
});

describe('the release read in one pass', () => {
  it('finds the sha256, DOL_VERSION and the cron script in the script output', async () => {
    const { parseReleaseRead } = await import('../../src/steps/upgrade/read-release.js');
    const sha = 'b'.repeat(64);
    const out = [
      '',
      '@@mokodeploy-member dolibarr-20.0.2/htdocs/filefunc.inc.php',
      "<?php\ndefine('DOL_VERSION', '20.0.2');",
      '@@mokodeploy-member dolibarr-20.0.2/scripts/cron/cron_run_jobs.php',
      '<?php',
      `@@mokodeploy-sha256 ${sha}`,
      '',
    ].join('\n');
    expect(parseReleaseRead(out)).toEqual({
      releaseSha256: sha,
      releaseVersion: '20.0.2',
      releaseHasCronScript: true,
      releaseHasCronPage: false,
    });
    expect(parseReleaseRead('no sum')).toBeUndefined();
  });
});
