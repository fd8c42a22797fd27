import { describe, expect, it } from 'vitest';
import { planWaves, shapeFrom } from '../../../src/fleet/waves.js';
import { selectMembers } from '../../../src/fleet/select.js';
import { act, newRecord, policy, t0 } from '../../helpers/records.js';

const clients = ['a', 'b', 'c', 'd', 'e'];

describe('fleet waves', () => {
  it('a canary first, then waves of N', () => {
    expect(planWaves(clients, { canary: 1, wave: 2, maxFailures: 0 })).toEqual([
      { index: 0, canary: true, clients: ['a'] },
      { index: 1, canary: false, clients: ['b', 'c'] },
      { index: 2, canary: false, clients: ['d', 'e'] },
    ]);
    expect(planWaves(clients, { canary: 0, wave: 4, maxFailures: 0 }).map((w) => w.clients)).toEqual([['a', 'b', 'c', 'd'], ['e']]);
    expect(planWaves([], { canary: 1, wave: 2, maxFailures: 0 })).toEqual([]);
  });

  it('reads the shape with defaults and refuses what is not a whole number', () => {
    expect(shapeFrom({})).toEqual({ canary: 1, wave: 5, maxFailures: 0 });
    expect(shapeFrom({ canary: '0', wave: '3', maxFailures: '2' })).toEqual({ canary: 0, wave: 3, maxFailures: 2 });
    expect(() => shapeFrom({ wave: '0' })).toThrow(/--wave: expected a whole number >= 1/);
    expect(() => shapeFrom({ maxFailures: '-1' })).toThrow(/--max-failures/);
    expect(() => shapeFrom({ canary: '1.5' })).toThrow(/--canary/);
  });
});

describe('fleet members: each client through its own record', () => {
  const upgrade = (client: string) =>
    newRecord({ client, id: `${client}-up`, kind: 'upgrade', environment: 'staging', dolibarr: { version: '20.0.2', release: '/srv/d.tgz', upgradeFrom: '19.0.4' } });

  it('an upgrade record not approved and scheduled is blocked, never picked; an unknown client is an input error', () => {
    const submitted = upgrade('acme');
    const approved = act(upgrade('globex'), 'approve', {}, 'dave');
    const members = selectMembers([submitted, approved], 'upgrade', 'all', { policy, now: t0 });
    expect(members.map((m) => [m.client, m.deploymentId, m.blocked?.split(':')[0]])).toEqual([
      ['acme', 'acme-up', 'acme-up is submitted'],
      ['globex', 'globex-up', 'globex-up is approved'],
    ]);
    expect(() => selectMembers([submitted], 'upgrade', ['acme', 'nobody'], { policy, now: t0 })).toThrow(/no deployment for client nobody/);
  });

  it('a client without an upgrade record is blocked for an upgrade but validated on its open record', () => {
    const fresh = newRecord({ client: 'initech', id: 'initech-new' });
    expect(selectMembers([fresh], 'upgrade', ['initech'], { policy, now: t0 })[0]).toMatchObject({ blocked: 'no upgrade record' });
    expect(selectMembers([fresh], 'validate', ['initech'], { policy, now: t0 })[0]).toMatchObject({ deploymentId: 'initech-new' });
    expect(selectMembers([fresh], 'verify', ['initech'], { policy, now: t0 })[0]!.blocked).toMatch(/no record deployed/);
  });
});
