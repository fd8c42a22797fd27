import { describe, expect, it } from 'vitest';
import { OutageLog, totalSeconds } from '../../../src/runner/outage-log.js';

describe('OutageLog (the probers bookkeeping)', () => {
  it('an outage runs from the first failing sample to the next normal one; one still open ends at close', () => {
    const log = new OutageLog();
    log.record(1000, undefined);
    log.record(2000, '503');
    log.record(2500, 'ECONNREFUSED'); // the outage keeps what was seen first
    log.record(3250, undefined);
    log.record(4000, '502');
    expect(log.since(0, 4500)).toEqual([
      { from: new Date(2000).toISOString(), seconds: 1.25, seen: '503' },
      { from: new Date(4000).toISOString(), seconds: 0.5, seen: '502' },
    ]);
    expect(log.since(3000, 4500)).toHaveLength(1);
    const all = log.close(5000);
    expect(all.map((x) => x.seconds)).toEqual([1.25, 1]);
    expect(totalSeconds(all)).toBe(2.25);
    expect([log.samples, log.failed]).toEqual([5, 3]);
  });
});
