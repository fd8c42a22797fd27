import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../../src/core/record.js';
import { archiveOwner, hypercareEnds, newestArchiveGuard } from '../../../src/hypercare/archive-guard.js';

/** Issue 19 retention: the newest archive is guarded by the hypercare of the deployment whose upgrade left it. */
const rec = (id: string, o: Partial<DeploymentRecord> & { archive?: string; client?: string } = {}) =>
  ({
    id,
    state: o.state ?? 'verifying',
    createdAt: o.createdAt ?? '2026-12-01T00:00:00Z',
    plan: { client: o.client ?? 'acme', database: { name: 'acme_crm' } },
    facts: o.archive ? { upgrade: { engine: 'copy', archiveDatabase: o.archive } } : {},
    ...(o.support ? { support: o.support } : {}),
  }) as unknown as DeploymentRecord;

const support = (start: string, days: number) => ({
  hypercareStart: start,
  hypercareDays: days,
  checkIns: [],
  feedback: [],
});

describe('archive guard', () => {
  it('hypercare ends at start + days, at once when closed, unknown before go-live', () => {
    expect(hypercareEnds(rec('a', { support: support('2026-12-01T00:00:00Z', 14) }))?.toISOString()).toBe(
      '2026-12-15T00:00:00.000Z',
    );
    expect(hypercareEnds(rec('a', { state: 'closed' }))?.getTime()).toBe(0);
    expect(hypercareEnds(rec('a'))).toBeUndefined();
  });

  it("the owner's hypercare guards the newest archive, not the acting deployment's", () => {
    const a = rec('a', { state: 'closed', archive: 'acme_crm' });
    const b = rec('b', { archive: 'acme_crm_mk20261201000000', createdAt: '2026-12-02T00:00:00Z' });
    const other = rec('x', { archive: 'acme_crm_mk20261201000000', client: 'other' });
    expect(archiveOwner([a, b, other], 'acme_crm_mk20261201000000', a)?.id).toBe('b');
    // closing a: its own hypercare is over, but b (not live yet) left the newest archive: kept (undefined)
    expect(newestArchiveGuard([a, b], 'acme_crm_mk20261201000000', a)).toEqual({ owner: 'b' });
    expect(newestArchiveGuard([a, b], 'acme_crm', b)).toEqual({ owner: 'a', hypercareEnds: new Date(0) });
    // nobody on record left it: the acting deployment's hypercare (as `archives` always did)
    expect(newestArchiveGuard([a], 'acme_crm_mk20260101000000', a)).toEqual({ hypercareEnds: new Date(0) });
    expect(newestArchiveGuard([], 'not_ours', b)).toEqual({});
  });
});
