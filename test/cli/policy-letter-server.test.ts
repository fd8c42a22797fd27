import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/context.js';
import { startDeploy } from '../../src/server/start-deploy.js';
import { teamYaml } from '../helpers/cli.js';
import { act, passingValidation, readyRecord } from '../helpers/records.js';

/**
 * Issue 16: the dashboard's deploy button is refused outside the approved window by the same rule as the CLI
 * (core/window.ts), with the window and the time in the answer, before any process is started or log written.
 */
describe('dashboard deploy outside the approved window', () => {
  it('is refused in the request, naming the window and the time now; nothing is started', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moko-window-'));
    writeFileSync(join(dir, 'team.yaml'), teamYaml);
    const prepared = new Date('2026-12-04T08:00:00Z');
    const now = new Date('2026-12-04T10:00:00Z');
    const app = createApp({
      home: join(dir, '.mokodeploy'),
      env: { MOKODEPLOY_TEAM: join(dir, 'team.yaml'), MOKODEPLOY_AUDIT_KEY_FILE: join(dir, 'audit.pem') },
      now: () => now,
      stdout: process.stdout,
      stderr: process.stderr,
    });
    let record = act(readyRecord(prepared), 'schedule', { clientApprovedBy: 'Jane' }, 'dave', prepared);
    record = act(record, 'record-validation', passingValidation(now), 'quinn', now);
    const store = await app.store();
    await store.create({
      record,
      audit: {
        at: prepared.toISOString(),
        actor: 'tina',
        role: 'technical-lead',
        action: 'plan-submit',
        deploymentId: record.id,
        summary: 'test record',
        before: null,
        after: null,
      },
    });
    await expect(startDeploy(app, record.id, 'tina')).rejects.toThrow(
      'deploy of acme-2026-12 is refused outside the approved window 2026-12-05T20:00:00Z - 2026-12-05T23:00:00Z (Europe/Paris); now is 2026-12-04T10:00:00.000Z',
    );
    expect(existsSync(join(dir, '.mokodeploy', 'logs'))).toBe(false);
    await store.close();
  });
});
