/**
 * The stand-ins' seeded random generator (mulberry32): tiny, fast, good enough to spread injected faults evenly,
 * and reproducible from a 32-bit seed, so a seed replays the same faults. One module for both stand-ins' fault
 * injection (sandbox/org/faults.ts, sandbox/partner-center/faults.ts) and the chaos run (scripts/chaos/random.ts).
 * It models no service, so sharing it keeps each stand-in an independent reading of its own docs.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
