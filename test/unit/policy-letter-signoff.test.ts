import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/core/record.js';
import { act, newRecord, policy, refusal, t0 } from '../helpers/records.js';

/** Issue 16: the client sign-off item by item; the handoff pack is the generated one or a PDF. */
const items = policy.signoffs.kinds.find((k) => k.id === 'client')!.items!.map((i) => i.id);
const pack = { kind: 'file' as const, name: 'acme-2026-12-handoff.html', sha256: 'c'.repeat(64), size: 9 };

function awaitingClient(): DeploymentRecord {
  let r: DeploymentRecord = {
    ...newRecord(),
    state: 'awaiting-signoff',
    signoffs: ['technical', 'go-live'].map((kind) => ({
      kind: kind as 'technical',
      stamp: { by: 'x', role: 'technical-lead' as const, at: t0.toISOString() },
      evidence: [],
    })),
  };
  r = act(r, 'handoff-deliver', { evidence: [{ kind: 'link', url: 'https://docs.example/acme' }] }, 'carla');
  for (const session of ['admin', 'user']) {
    r = act(r, 'training-plan', { session, plannedAt: t0.toISOString() }, 'carla');
    const id = r.trainings.at(-1)!.id;
    r = act(r, 'training-held', { id, heldAt: t0.toISOString(), durationHours: 2, attendees: ['Jane'] }, 'carla');
  }
  return r;
}

describe('client sign-off: each policy item confirmed, by a named client signatory or with evidence', () => {
  it('the policy lists the four items of "Client Sign-Off"', () => {
    expect(items).toEqual(['functionality-approved', 'training-completed', 'documentation-accepted', 'support-confirmed']);
  });

  it('a signatory alone (the old way) is refused, naming every unconfirmed item', () => {
    const e = refusal(() => act(awaitingClient(), 'signoff', { kind: 'client', signatory: 'Jane, CEO' }, 'carla'));
    expect(e.details).toHaveLength(4);
    expect(e.details[0]).toContain('Functionality approved is not confirmed: --confirm functionality-approved');
  });

  it.each([
    ['one item missing', items.slice(1).map((item) => ({ item, signatory: 'Jane' })), ['Functionality approved']],
    ['an item with neither signatory nor evidence', items.map((item) => ({ item, signatory: item === 'support-confirmed' ? undefined : 'Jane' })), ['Support arrangements confirmed']],
    ['an empty signatory', items.map((item) => ({ item, signatory: item === 'training-completed' ? ' ' : 'Jane' })), ['Training completed']],
  ])('%s is refused', (_name, confirmations, missing) => {
    const e = refusal(() =>
      act(awaitingClient(), 'signoff', { kind: 'client', signatory: 'Jane', confirmations }, 'carla'),
    );
    expect(e.details.map((d) => d.split(' is not confirmed')[0])).toEqual(missing);
  });

  it('every item confirmed, by signatories or evidence, gives it and keeps each confirmation', () => {
    const confirmations = [
      { item: 'functionality-approved', signatory: 'Jane, CEO' },
      { item: 'training-completed', signatory: 'Paul, IT' },
      { item: 'documentation-accepted', evidence: [{ kind: 'link', url: 'https://docs.example/accepted' }] },
      { item: 'support-confirmed', evidence: [{ kind: 'text', text: 'support contract 2027 signed' }] },
    ];
    const r = act(awaitingClient(), 'signoff', { kind: 'client', signatory: 'Jane, CEO', confirmations }, 'carla');
    const given = r.signoffs.find((s) => s.kind === 'client')!;
    expect(given.confirmations?.map((c) => [c.item, c.signatory ?? c.evidence[0]?.kind])).toEqual([
      ['functionality-approved', 'Jane, CEO'],
      ['training-completed', 'Paul, IT'],
      ['documentation-accepted', 'link'],
      ['support-confirmed', 'text'],
    ]);
  });

  it("the dashboard's list of items confirmed by the signatory counts as one confirmation each", () => {
    const partial = refusal(() =>
      act(awaitingClient(), 'signoff', { kind: 'client', signatory: 'Jane', confirmed: items.slice(0, 3) }, 'carla'),
    );
    expect(partial.details.map((d) => d.split(' is not confirmed')[0])).toEqual(['Support arrangements confirmed']);
    const r = act(awaitingClient(), 'signoff', { kind: 'client', signatory: 'Jane', confirmed: items }, 'carla');
    expect(r.signoffs.at(-1)?.confirmations?.map((c) => c.signatory)).toEqual(['Jane', 'Jane', 'Jane', 'Jane']);
  });

  it('an unknown item is refused with the list of items', () => {
    const confirmations = [...items, 'coffee-served'].map((item) => ({ item, signatory: 'Jane' }));
    const e = refusal(() => act(awaitingClient(), 'signoff', { kind: 'client', signatory: 'Jane', confirmations }, 'carla'));
    expect(e.message).toContain('"coffee-served"');
    expect(e.fix).toContain('functionality-approved');
  });
});

describe('the handoff pack delivered is the one generated for this deployment, or a PDF', () => {
  const verifying = (): DeploymentRecord => ({ ...newRecord(), state: 'verifying' });
  const deliver = (r: DeploymentRecord, evidence: unknown[]) => act(r, 'handoff-deliver', { evidence }, 'carla');

  it.each([
    ['an arbitrary file', [{ ...pack, name: 'notes.txt', sha256: 'd'.repeat(64) }], 'notes.txt: neither the handoff pack generated for acme-2026-12 (no sha256 match) nor a PDF'],
    ['the generated file name with other content', [{ ...pack, sha256: 'e'.repeat(64) }], 'acme-2026-12-handoff.html: neither'],
    ['a note only', [{ kind: 'text', text: 'sent by mail' }], 'a note is not the pack'],
  ])('%s is refused', (_name, evidence, detail) => {
    const e = refusal(() => deliver(verifying(), evidence));
    expect(e.details.join('\n')).toContain(detail);
  });

  it('the generated pack, matched by sha256, is accepted', () => {
    const r = act(verifying(), 'record-document', { kind: 'handoff', evidence: [pack] }, 'tina');
    expect(deliver(r, [pack]).handoff?.evidence).toEqual([pack]);
  });

  it.each([
    ['a PDF', [{ ...pack, name: 'Handoff ACME.PDF', sha256: 'f'.repeat(64) }]],
    ['a link to where the client finds it', [{ kind: 'link', url: 'https://docs.example/acme' }]],
  ])('%s is accepted', (_name, evidence) => {
    expect(deliver(verifying(), evidence).handoff?.by).toBe('carla');
  });
});
