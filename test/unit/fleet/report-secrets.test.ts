import { describe, expect, it } from 'vitest';
import { Secret } from '../../../src/core/secret.js';
import { fleetReport, fleetReportHtml, fleetSummary } from '../../../src/fleet/report.js';
import type { FleetRow } from '../../../src/fleet/rows.js';

describe('the fleet report', () => {
  it("redacts the reasons (the jobs' error lines) with this machine's secrets, in JSON, HTML and the summary", () => {
    const leaked = new Secret('fleet-report-s3cret-value').reveal();
    const row = {
      id: 'fleet-verify-1',
      operation: 'verify',
      options: {},
      requestedBy: 'tina',
      state: 'halted',
      createdAt: '2026-12-12T20:00:00.000Z',
      finishedAt: null,
      haltedReason: `the canary failed: ${leaked}`,
      members: [{ client: 'acme', clientName: '<b>Acme</b>', deploymentId: 'acme-1', position: 0, wave: 0, status: 'failed', reason: `error: ${leaked}`, jobId: 3 }],
    } as unknown as FleetRow;
    const r = fleetReport(row);
    for (const text of [JSON.stringify(r), fleetReportHtml(r).text, fleetSummary(r)]) expect(text).not.toContain(leaked);
    expect(r.members[0]!.reason).toBe('error: [redacted]');
    expect(fleetReportHtml(r).text).toContain('&lt;b&gt;Acme&lt;/b&gt;');
  });
});
