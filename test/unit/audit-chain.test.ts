import { describe, expect, it } from 'vitest';
import { entryHash, genesisHash, type AuditEntry } from '../../src/audit/entry.js';
import { verifyChain } from '../../src/audit/verify.js';

function chain(n: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  let prev = genesisHash;
  for (let seq = 1; seq <= n; seq++) {
    const base = {
      seq,
      at: `2026-12-01T10:0${seq}:00Z`,
      actor: 'tina',
      role: 'technical-lead',
      action: 'tick',
      deploymentId: 'acme',
      summary: `entry ${seq}`,
      before: { a: seq - 1 },
      after: { a: seq },
    };
    const hash = entryHash(prev, base);
    out.push({ ...base, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

describe('audit chain verification', () => {
  it('accepts an intact chain and its anchor', () => {
    const c = chain(5);
    expect(verifyChain(c, { seq: 5, hash: c[4]!.hash })).toEqual([]);
  });

  it('names an edited entry', () => {
    const c = chain(5);
    c[2] = { ...c[2]!, summary: 'nothing happened' };
    expect(verifyChain(c)).toEqual([expect.objectContaining({ seq: 3, kind: 'edited' })]);
  });

  it('names deleted entries', () => {
    const c = chain(5);
    c.splice(1, 2);
    expect(verifyChain(c)).toEqual([expect.objectContaining({ seq: 4, kind: 'deleted' })]);
    expect(verifyChain(c)[0]!.message).toContain('entries 2..3 are missing');
  });

  it('names an inserted entry', () => {
    const c = chain(4);
    const forged = { ...c[1]!, seq: 3, summary: 'forged', prevHash: c[1]!.hash };
    forged.hash = entryHash(forged.prevHash, forged);
    const tampered = [c[0]!, c[1]!, forged, { ...c[2]!, seq: 4 }, c[3]!];
    const problems = verifyChain(tampered);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]!.seq).toBe(4);
  });

  it('names reordered entries', () => {
    const c = chain(4);
    const problems = verifyChain([c[0]!, c[2]!, c[1]!, c[3]!]);
    expect(problems.map((p) => p.kind)).toContain('reordered');
  });

  it('uses the anchor to catch a truncated tail', () => {
    const c = chain(5);
    const problems = verifyChain(c.slice(0, 3), { seq: 5, hash: c[4]!.hash });
    expect(problems).toEqual([expect.objectContaining({ kind: 'truncated' })]);
    expect(problems[0]!.message).toContain('entries 4..5 were deleted');
  });
});
