import { describe, expect, it } from 'vitest';
import { act, newRecord, refusal } from '../helpers/records.js';

const run = (mode: string, outcome: string, reconciled = true) => ({
  batch: '20261127100000',
  mode,
  outcome,
  reconciled,
  counts: { source: 130, loaded: 120, alreadyPresent: 0, rejected: 10, deferred: 0 },
  report: { name: 'report.json', sha256: 'a'.repeat(64), size: 100 },
  backup: { path: '/var/backups/x.sql', sha256: 'b'.repeat(64) },
});

describe('record-migration: migration results are evidence on the deployment', () => {
  it('a committed, reconciled sample ticks "sample-migrated" and "source-backup" for the technical lead', () => {
    const r = act(newRecord({ kind: 'data-migration' }), 'record-migration', run('sample', 'committed'), 'tina');
    expect((r.facts.migrations as unknown[]).length).toBe(1);
    expect(r.checklist['sample-migrated']).toMatchObject({ ticked: true, evidence: [{ kind: 'file', sha256: 'a'.repeat(64) }], stamp: { by: 'tina' } });
    expect(r.checklist['source-backup']).toMatchObject({ ticked: true, evidence: [{ kind: 'backup', path: '/var/backups/x.sql' }] });
    expect(r.checklist['integrity-validated']?.ticked ?? false).toBe(false); // QA's, from the report
  });

  it('a refused or dry run is recorded and ticks nothing', () => {
    let r = act(newRecord({ kind: 'data-migration' }), 'record-migration', run('full', 'refused', false), 'tina');
    r = act(r, 'record-migration', run('dry-run', 'rolled-back'), 'tina');
    expect((r.facts.migrations as { outcome: string }[]).map((m) => m.outcome)).toEqual(['refused', 'rolled-back']);
    expect(r.checklist['sample-migrated']?.ticked ?? false).toBe(false);
  });

  it('only a role allowed to execute deployments records one', () => {
    expect(refusal(() => act(newRecord({ kind: 'data-migration' }), 'record-migration', run('sample', 'committed'), 'quinn')).message).toMatch(/deployment.execute/);
  });
});
