import { describe, expect, it } from 'vitest';
import {
  defaultArchiveRules,
  listArchives,
  parseDeploymentSchema,
  planArchiveRetention,
} from '../../../src/steps/upgrade-copy/archives.js';
import { dropArchivesStep } from '../../../src/steps/upgrade-copy/archives-steps.js';
import { makeTestPlan } from '../../helpers/services/plan.js';

/** Issue 19: which schemas an upgrade by copy left, and what retention keeps (pure). */
const server = [
  'information_schema',
  'mysql',
  'acme_crm',
  'acme_crm_mk20261101000000',
  'acme_crm_mk20261201000000',
  'acme_crm_mk20261205000000',
  'acme_crm_mkold20261001000000',
  'acme_crm_mkbad20261115000000',
  'acme_crm_mkcopy',
  'acme_crm_rehearsal',
  'acme_crm_rehearsal_mk20261201000000',
  'acme_crm2_mk20261201000000',
  'other_mk20261201000000',
];
const now = new Date('2026-12-06T12:00:00Z');

describe('listArchives', () => {
  it('the deployment schemas but the live one, newest first; a schema newer than the live one is failed', () => {
    const a = listArchives('acme_crm', 'acme_crm_mk20261201000000', server);
    expect(a.map((x) => [x.name, x.kind, x.at?.toISOString()])).toEqual([
      ['acme_crm_mk20261205000000', 'failed', '2026-12-05T00:00:00.000Z'],
      // left when the live one became live
      ['acme_crm_mk20261101000000', 'left', '2026-12-01T00:00:00.000Z'],
      ['acme_crm_mkbad20261115000000', 'failed', '2026-11-15T00:00:00.000Z'],
      ['acme_crm', 'left', '2026-11-01T00:00:00.000Z'],
      ['acme_crm_mkold20261001000000', 'left', '2026-10-01T00:00:00.000Z'],
    ]);
  });

  it('never the live one, the copy being made, a rehearsal or another deployment', () => {
    const names = listArchives('acme_crm', 'acme_crm', server).map((x) => x.name);
    expect(names).not.toContain('acme_crm');
    for (const n of ['acme_crm_mkcopy', 'acme_crm_rehearsal', 'acme_crm_rehearsal_mk20261201000000'])
      expect(names).not.toContain(n);
    expect(names).not.toContain('acme_crm2_mk20261201000000');
    // live back on the plan's name (a rollback): every later migrated schema is a failed one
    expect(
      listArchives('acme_crm', 'acme_crm', server)
        .filter((x) => x.name.includes('_mk2'))
        .every((x) => x.kind === 'failed'),
    ).toBe(true);
  });

  it('a 64-character plan name: the shortened prefix is recognised, a different one is not', () => {
    const long = 'x'.repeat(64);
    expect(parseDeploymentSchema(long, `${'x'.repeat(47)}_mk20261201000000`)?.tag).toBe('mk');
    expect(parseDeploymentSchema(long, `${'x'.repeat(44)}_mkold20261201000000`)?.tag).toBe('mkold');
    expect(parseDeploymentSchema(long, `${'x'.repeat(40)}_mk20261201000000`)).toBeUndefined();
  });
});

describe('planArchiveRetention', () => {
  const archives = listArchives('acme_crm', 'acme_crm_mk20261201000000', server);
  const decide = (o: Parameters<typeof planArchiveRetention>[1]) =>
    Object.fromEntries(planArchiveRetention(archives, o).map((d) => [d.name, d.drop]));

  it('default: the newest left archive kept until hypercare ends, older ones dropped, a recent failed one kept', () => {
    expect(decide({ now, hypercareEnds: new Date('2026-12-15T00:00:00Z') })).toEqual({
      acme_crm_mk20261205000000: false,
      acme_crm_mk20261101000000: false,
      acme_crm_mkbad20261115000000: true,
      acme_crm: true,
      acme_crm_mkold20261001000000: true,
    });
  });

  it('hypercare not started: the newest is kept (a rollback may need it); ended: it goes too', () => {
    expect(decide({ now }).acme_crm_mk20261101000000).toBe(false);
    expect(decide({ now, hypercareEnds: new Date('2026-12-02T00:00:00Z') }).acme_crm_mk20261101000000).toBe(
      true,
    );
    const reasons = planArchiveRetention(archives, { now }).map((d) => d.reason);
    expect(reasons[1]).toContain('rollback');
  });

  it('rules as data: keep N, keep days, failed days', () => {
    const ended = new Date('2026-12-02T00:00:00Z');
    expect(decide({ now, hypercareEnds: ended, rules: { ...defaultArchiveRules, keep: 2 } })).toMatchObject({
      acme_crm_mk20261101000000: false,
      acme_crm: false,
      acme_crm_mkold20261001000000: true,
    });
    expect(
      decide({ now, hypercareEnds: ended, rules: { ...defaultArchiveRules, keepDays: 40 } }),
    ).toMatchObject({
      acme_crm_mk20261101000000: false,
      acme_crm: false,
      acme_crm_mkold20261001000000: true,
    });
    expect(
      decide({ now, hypercareEnds: ended, rules: { ...defaultArchiveRules, failedKeepDays: 0 } })
        .acme_crm_mk20261205000000,
    ).toBe(true);
  });
});

describe('dropArchivesStep', () => {
  const ctx = {
    plan: makeTestPlan(),
    policy: {} as never,
    facts: {},
    outputs: {},
  };
  it('one DROP DATABASE per archive, the name quoted as an identifier, no shell', () => {
    const plan = { ...ctx.plan, database: { ...ctx.plan.database, name: 'acme_crm' } };
    const actions = dropArchivesStep(
      ['acme_crm', 'acme_crm_mkold20261001000000'],
      'acme_crm_mk20261201000000',
    ).plan({
      ...ctx,
      plan,
    });
    const sql = actions.flatMap((x) => (x.kind === 'run' ? [x.command.argv.at(-1)] : []));
    expect(sql).toContain('DROP DATABASE IF EXISTS `acme_crm`;');
    expect(sql).toContain('DROP DATABASE IF EXISTS `acme_crm_mkold20261001000000`;');
  });

  it('refuses to plan the live schema or a schema that is not the deployment’s', () => {
    const plan = { ...ctx.plan, database: { ...ctx.plan.database, name: 'acme_crm' } };
    expect(() => dropArchivesStep(['acme_crm'], 'acme_crm').plan({ ...ctx, plan })).toThrow(/not an archive/);
    expect(() => dropArchivesStep(['mysql'], 'acme_crm').plan({ ...ctx, plan })).toThrow(/not an archive/);
  });
});
