/**
 * The run's randomness: one seeded generator per purpose (the stand-ins' mulberry32, sandbox/seeded-random.ts), so a seed replays the
 * same fault profiles and the same choices of actions. Timing still varies between runs; choices do not.
 */
import { seededRandom } from '../../sandbox/seeded-random.js';

export class Rng {
  readonly #next: () => number;

  constructor(seed: number) {
    this.#next = seededRandom(seed);
  }

  /** In [0, 1). */
  next(): number {
    return this.#next();
  }

  /** A whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.#next() * (max - min + 1));
  }

  /** A number in [min, max), rounded to two decimals. */
  between(min: number, max: number): number {
    return Math.round((min + this.#next() * (max - min)) * 100) / 100;
  }

  chance(p: number): boolean {
    return this.#next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.#next() * items.length)];
  }

  /** A value by weight, e.g. { edit: 3, close: 1 }. */
  weighted<K extends string>(weights: Partial<Record<K, number>>): K {
    const entries = Object.entries(weights).filter(([, w]) => (w as number) > 0) as [K, number][];
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let roll = this.#next() * total;
    for (const [key, weight] of entries) {
      roll -= weight;
      if (roll < 0) return key;
    }
    return entries[entries.length - 1][0];
  }
}

/** A stable seed for a sub-stream (scenario n, purpose p) of the run's seed. */
export function deriveSeed(seed: number, ...parts: number[]): number {
  let h = seed >>> 0;
  for (const part of parts) h = Math.imul(h ^ (part + 0x9e3779b9), 0x85ebca6b) >>> 0;
  return (h ^ (h >>> 13)) >>> 0;
}
