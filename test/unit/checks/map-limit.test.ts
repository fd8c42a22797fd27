import { describe, expect, it } from 'vitest';
import { mapLimit } from '../../../src/checks/map-limit.js';

describe('mapLimit (validateMany bound)', () => {
  it('never has more than `limit` calls in flight and keeps the order', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([50, 10, 30, 5, 20, 1, 15], 3, async (ms) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, ms));
      inFlight--;
      return ms * 2;
    });
    expect(peak).toBe(3);
    expect(out).toEqual([100, 20, 60, 10, 40, 2, 30]);
  });

  it('handles an empty list', async () => {
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
  });
});
