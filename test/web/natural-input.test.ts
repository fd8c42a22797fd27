import { describe, expect, it } from 'vitest';
import { parseDuration, parseWhen } from '../../src/web/natural-input.js';
import { MokoError } from '../../src/core/errors.js';

describe('dates and durations as people type them (issue 21)', () => {
  it.each([
    ['06/12/2026 20:00', 'Europe/Paris', '2026-12-06T19:00:00.000Z'],
    ['6.12.2026 20:00', 'Europe/Paris', '2026-12-06T19:00:00.000Z'],
    ['2026-07-01 20:00', 'Europe/Paris', '2026-07-01T18:00:00.000Z'], // summer time
    ['2026-03-29 03:30', 'Europe/Paris', '2026-03-29T01:30:00.000Z'], // the morning the clocks go forward
    ['06/12/2026 20:00', 'America/New_York', '2026-12-07T01:00:00.000Z'],
    ['2026-12-06T20:00:00Z', 'Europe/Paris', '2026-12-06T20:00:00.000Z'], // an offset given wins
    ['2026-12-06T20:00:00+01:00', 'UTC', '2026-12-06T19:00:00.000Z'],
    ['06/12/2026', 'UTC', '2026-12-06T00:00:00.000Z'],
  ])('%s in %s is %s', (text, tz, iso) => {
    expect(parseWhen(text, tz, 'Start')).toBe(iso);
  });

  it.each(['31/02/2026 10:00', '06/13/2026 10:00', '06/12/2026 24:00', 'tomorrow', '12/6', ''])(
    'refuses "%s" naming the field and how to type it',
    (text) => {
      let error: unknown;
      try {
        parseWhen(text, 'Europe/Paris', 'Start');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(MokoError);
      expect(error).toMatchObject({ kind: 'input', where: 'Start' });
      expect((error as MokoError).fix).toContain('Europe/Paris');
    },
  );

  it.each([
    ['90 s', 90],
    ['2 min', 120],
    ['5', 300],
    ['1 h 30', 5400],
    ['1h30m', 5400],
    ['1 hour 5 minutes', 3900],
    ['2m 10s', 130],
    ['01:30:00', 5400],
    ['1:30', 90],
  ])('reads the duration "%s" as %i seconds', (text, seconds) => {
    expect(parseDuration(text, 'Downtime')).toBe(seconds);
  });

  it.each(['soon', '5 parsecs', 'min', '-'])('refuses the duration "%s"', (text) => {
    expect(() => parseDuration(text, 'Downtime')).toThrow(MokoError);
  });
});
