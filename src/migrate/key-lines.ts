import { randomInt } from 'node:crypto';

/**
 * Strings seen -> the line they were first seen on, in typed arrays: a 64-bit fingerprint and a
 * line per entry (12 bytes, open addressing), no string kept. A Map of a million keys held about
 * 180 MB (keys, entries, GC headroom) and was nearly all of a large import's memory; this holds
 * about 25 MB. Two different keys share a fingerprint with a probability of about n²/2⁶⁵ (3e-8 for
 * a million keys): that row would be reported as a duplicate. The hash seeds are random per run,
 * so the same two keys do not collide again when the rejects are fed again.
 */
export class KeyLines {
  #mask: number;
  #hi: Uint32Array;
  #lo: Uint32Array;
  #line: Int32Array;
  #size = 0;
  readonly #seed1 = randomInt(2 ** 32 - 1);
  readonly #seed2 = randomInt(2 ** 32 - 1);

  constructor(capacity = 1024) {
    this.#mask = capacity - 1;
    this.#hi = new Uint32Array(capacity);
    this.#lo = new Uint32Array(capacity);
    this.#line = new Int32Array(capacity);
  }

  get size(): number {
    return this.#size;
  }

  /** The line `key` was first seen on, or undefined. */
  get(key: string): number | undefined {
    const i = this.#find(hash1(key, this.#seed1), hash2(key, this.#seed2));
    return this.#line[i] === 0 ? undefined : this.#line[i];
  }

  /** Remember `key` on `line` (lines start at 1) unless it is already there. */
  set(key: string, line: number): void {
    const hi = hash1(key, this.#seed1);
    const lo = hash2(key, this.#seed2);
    const i = this.#find(hi, lo);
    if (this.#line[i] !== 0) return;
    this.#hi[i] = hi;
    this.#lo[i] = lo;
    this.#line[i] = line;
    if (++this.#size * 2 > this.#mask) this.#grow();
  }

  #find(hi: number, lo: number): number {
    let i = (hi ^ Math.imul(lo, 0x9e3779b1)) & this.#mask;
    while (this.#line[i] !== 0 && (this.#hi[i] !== hi || this.#lo[i] !== lo)) i = (i + 1) & this.#mask;
    return i;
  }

  #grow(): void {
    const [hi, lo, line] = [this.#hi, this.#lo, this.#line];
    const capacity = (this.#mask + 1) * 2;
    this.#mask = capacity - 1;
    this.#hi = new Uint32Array(capacity);
    this.#lo = new Uint32Array(capacity);
    this.#line = new Int32Array(capacity);
    for (let j = 0; j < line.length; j++) {
      if (line[j] === 0) continue;
      const i = this.#find(hi[j]!, lo[j]!);
      this.#hi[i] = hi[j]!;
      this.#lo[i] = lo[j]!;
      this.#line[i] = line[j]!;
    }
  }
}

/** FNV-1a over UTF-16 code units. */
function hash1(s: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A second, differently mixed hash (MurmurHash2's multiplier and final avalanche). */
function hash2(s: string, seed: number): number {
  let h = seed ^ s.length;
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 0x5bd1e995);
    h ^= h >>> 13;
  }
  h = Math.imul(h ^ (h >>> 15), 0x27d4eb2d);
  return (h ^ (h >>> 16)) >>> 0;
}
