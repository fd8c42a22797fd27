import { describe, expect, it } from 'vitest';
import { MokoError } from '../../../src/core/errors.js';
import { LocalHost } from '../../../src/hosts/local.js';
import { makeVerifyContext } from '../../../src/verify/context.js';
import { pickChecks } from '../../../src/verify/run.js';
import { summarise } from '../../../src/verify/summary.js';
import { result } from '../../../src/verify/check.js';
import { classifyTables, ownerText } from '../../../src/verify/table-owners.js';
import { Secret } from '../../../src/core/secret.js';
import { makeTestPlan } from '../../helpers/services/plan.js';
import { policy } from '../../helpers/records.js';

const contextFor = (cronDir?: string, option?: string) =>
  makeVerifyContext({
    plan: makeTestPlan({ target: cronDir ? { cronDir } : {} }),
    policy,
    host: new LocalHost(),
    now: new Date(),
    secret: () => new Secret('x'),
    options: option ? { cronDir: option } : {},
  });

describe('verify reads target paths from the plan (issue 14 point 6)', () => {
  it("uses the plan's target.cronDir, --cron-dir when given, /etc/cron.d otherwise", () => {
    expect(contextFor('/srv/acme/cron.d').options.cronDir).toBe('/srv/acme/cron.d');
    expect(contextFor('/srv/acme/cron.d', '/elsewhere').options.cronDir).toBe('/elsewhere');
    expect(contextFor().options.cronDir).toBe('/etc/cron.d');
  });
});

describe('verify --only (issue 14 point 12)', () => {
  it('refuses an id that is no check, naming the valid ids and the check a result id comes from', () => {
    let error: unknown;
    try {
      pickChecks(['dolibarr.cron']);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MokoError);
    expect((error as MokoError).message).toBe('--only: no check "dolibarr.cron"');
    expect((error as MokoError).fix).toMatch(/dolibarr\.cron is reported by the check dolibarr-health/);
    expect((error as MokoError).fix).toMatch(/check ids: login-http, browser-login, .*permissions, .*queries/);
  });

  it('picks the named checks in checklist order', () => {
    expect(pickChecks(['queries', 'permissions']).map((c) => c.id)).toEqual(['permissions', 'queries']);
    expect(() => pickChecks([])).toThrow(/no check given/);
  });
});

describe('whose tables are (issue 14 point 11)', () => {
  const htdocs = '/srv/acme/current/htdocs';
  const owners = classifyTables(
    [
      `${htdocs}/install/mysql/tables/llx_user_param.sql`,
      `${htdocs}/install/mysql/tables/llx_user_param.key.sql`,
      `${htdocs}/install/mysql/tables/llx_societe_perentity-multicompany.sql`,
      `${htdocs}/custom/mokoinvoice/sql/llx_mokoinvoice_line.sql`,
    ],
    htdocs,
  );

  it('tells Dolibarr core tables from a custom module table and a stray one', () => {
    expect(ownerText(owners.get('llx_user_param'))).toBe('Dolibarr core');
    expect(ownerText(owners.get('llx_societe_perentity'))).toBe('Dolibarr core');
    expect(ownerText(owners.get('llx_mokoinvoice_line'))).toBe('custom module mokoinvoice');
    expect(ownerText(owners.get('llx_handmade'))).toBe('neither Dolibarr nor an installed custom module');
  });
});

describe('unknown is never a pass (issue 25)', () => {
  it('an item with a probe that could not see is recorded as skip, with "unknown" and the reason', () => {
    const [permissions] = summarise(policy, [
      result('verify.permissions', 'permissions.install-lock', 'pass', 'present'),
      result('verify.permissions', 'permissions.upgrade-unlock', 'unknown', 'x: could not look', 'sudo asks'),
    ]).filter((i) => i.id === 'verify.permissions');
    expect(permissions).toMatchObject({ status: 'skip', detail: '[permissions.upgrade-unlock] sudo asks' });
    expect(permissions!.observed).toMatch(/\[permissions\.upgrade-unlock\] unknown: x: could not look/);
  });
});
