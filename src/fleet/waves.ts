import { inputError } from '../core/errors.js';

export interface FleetShape {
  /** Clients run first, alone, before any wave (0: none). */
  canary: number;
  /** Clients run at once in each wave after the canary. */
  wave: number;
  /** Failures tolerated; one more halts the fleet (a failed canary always halts). */
  maxFailures: number;
}

export interface Wave {
  index: number;
  canary: boolean;
  clients: string[];
}

/** Pure: the runnable clients, in order, cut into the canary and waves of `wave`. */
export function planWaves(clients: readonly string[], shape: FleetShape): Wave[] {
  const waves: Wave[] = [];
  const canary = clients.slice(0, shape.canary);
  if (canary.length > 0) waves.push({ index: 0, canary: true, clients: canary });
  for (let i = canary.length; i < clients.length; i += shape.wave) {
    waves.push({ index: waves.length, canary: false, clients: clients.slice(i, i + shape.wave) });
  }
  return waves;
}

/** Read --canary, --wave, --max-failures: whole numbers, with where and how to fix. */
export function shapeFrom(o: { canary?: string; wave?: string; maxFailures?: string }): FleetShape {
  const whole = (v: string | undefined, name: string, dflt: number, min: number) => {
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < min) throw inputError(`${name}: expected a whole number >= ${min}, got "${v}"`, { where: name, fix: `${name} ${Math.max(min, 1)}` });
    return n;
  };
  return {
    canary: whole(o.canary, '--canary', 1, 0),
    wave: whole(o.wave, '--wave', 5, 1),
    maxFailures: whole(o.maxFailures, '--max-failures', 0, 0),
  };
}
